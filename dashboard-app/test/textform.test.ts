import fc from "fast-check";
import { describe, expect, it } from "vitest";
import kindsFixture from "./fixtures/condition-kinds.json";
import type { ConditionKinds } from "../src/builder/kinds";
import { load } from "../src/builder/tree";
import { conditionAt, costHeadline, errorExcerpt, estimateText, mustConfirm } from "../src/lib/textform";

const kinds = { ...(kindsFixture as unknown as ConditionKinds), declaredFields: [
  { source: "metadata", key: "gender", label: "Gender", type: "string", choices: null }] };

describe("text errors", () => {
  const text = 'all {\n  customer.email is\n}';

  it("points at the line and column the parser names", () => {
    expect(errorExcerpt(text, { message: "expected a value", line: 2, column: 20 })).toEqual({
      where: "Line 2, column 20", source: "  customer.email is", caret: `${" ".repeat(19)}^`,
    });
  });

  it("stays inside the text whatever the position, and says nothing of a missing one", () => {
    expect(errorExcerpt(text, { message: "x", line: 99, column: 500 }).where).toBe("Line 3, column 2");
    expect(errorExcerpt("", { message: "x", line: 0, column: -3 })).toEqual({ where: "Line 1, column 1", source: "", caret: "^" });
    expect(errorExcerpt(text, { message: "x", line: null, column: null }).where).toBe("");
    fc.assert(fc.property(fc.string(), fc.integer(), fc.integer(), (t, line, column) => {
      const at = errorExcerpt(t, { message: "m", line, column });
      expect(at.caret.length).toBeLessThanOrEqual(at.source.length + 1);
      expect(at.caret.endsWith("^")).toBe(true);
    }));
  });
});

describe("cost warnings", () => {
  const tree = load({ conditions: [
    { kind: "customer.metadata", source: "metadata", key: "gender", type: "string", operator: "is", value: "female" },
    { kind: "group", aggregator: "any", conditions: [{ kind: "customer.field", field: "email", operator: "contains", value: "@shop.com" }] },
  ] });

  it("names the condition a warning's path points to, in the builder's words", () => {
    expect(conditionAt(tree, kinds, "conditions[0]").label).toBe("Gender is female");
    expect(conditionAt(tree, kinds, "conditions[1]").label).toBe("Any of");
    expect(conditionAt(tree, kinds, "conditions[1].conditions[0]").label).toMatch(/^Email .*@shop\.com$/);
    expect(conditionAt(tree, kinds, "conditions[7]")).toEqual({ nodeId: "root", label: "The whole definition" });
  });

  it("warns only when the planner names a slow condition (or ran out of time)", () => {
    const warning = { path: "conditions[0]" };
    expect(costHeadline(null)).toBeNull();
    expect(costHeadline({ estimatedRows: 5, budgetExceeded: false, expensive: [] })).toBeNull();
    expect(costHeadline({ estimatedRows: 5, budgetExceeded: false, expensive: [warning] })).toMatch(/^One condition reads a large table/);
    expect(costHeadline({ estimatedRows: 5, budgetExceeded: false, expensive: [warning, warning] })).toMatch(/^2 conditions read/);
    expect(costHeadline({ estimatedRows: 5, budgetExceeded: true, expensive: [] })).toMatch(/took too long/);
  });

  it("asks before saving a slow definition, once per definition", () => {
    const slow = { estimatedRows: 1, budgetExceeded: false, expensive: [{ path: "conditions[0]" }] };
    expect(mustConfirm(slow, "A", null)).toBe(true);
    expect(mustConfirm(slow, "A", "A")).toBe(false);
    expect(mustConfirm(slow, "B", "A")).toBe(true);
    expect(mustConfirm({ ...slow, expensive: [] }, "A", null)).toBe(false);
    expect(mustConfirm(null, "A", null)).toBe(false);
  });

  it("writes the planner's row estimate as a rough number", () => {
    expect([estimateText(3.4), estimateText(1234), estimateText(1_000_000), estimateText(Number.NaN)]).toEqual(["~3", "~1,200", "~1,000,000", "—"]);
  });
});
