import { describe, expect, it } from "vitest";
import kindsFixture from "./fixtures/condition-kinds.json";
import { addableKinds, waitingForDeclaredFields, type ConditionKinds } from "../src/builder/kinds";
import { nodeLabel } from "../src/builder/label";
import { load, nodePaths, type Node } from "../src/builder/tree";

const base = kindsFixture as unknown as ConditionKinds;
const kinds: ConditionKinds = {
  ...base,
  declaredFields: [
    { source: "metadata", key: "gender", label: "Gender", type: "string", choices: null },
    { source: "attribute", key: "vip-level", label: "VIP level", type: "number", choices: null },
  ],
};

function nodesOf(conditions: unknown): Map<string, Node> {
  const tree = load(conditions as never);
  const byId = new Map<string, Node>();
  const walk = (nodes: Node[]) => nodes.forEach((n) => { byId.set(n.id, n); if (n.group) walk(n.group.children); });
  walk(tree.root.children);
  const byPath = new Map<string, Node>();
  for (const [id, path] of nodePaths(tree)) if (byId.has(id)) byPath.set(path, byId.get(id)!);
  return byPath;
}

describe("a node in words (the widget's explanation)", () => {
  const nodes = nodesOf({ conditions: [
    { kind: "customer.metadata", source: "metadata", key: "gender", type: "string", operator: "is", value: "female" },
    { kind: "address", conditions: [{ kind: "address.field", field: "city", operator: "is", value: "Los Angeles" }] },
    { kind: "customer.attribute", attribute: "vip-level", type: "number", operator: "between", value: [2, 5] },
  ] });

  it("uses the declared field's label, the operator label and the value", () => {
    expect(nodeLabel(kinds, nodes.get("conditions[0]")!)).toBe("Gender is female");
    expect(nodeLabel(kinds, nodes.get("conditions[2]")!)).toBe("VIP level is between 2 and 5");
  });

  it("uses the kind label and the field as the builder names them, never a raw kind name", () => {
    expect(nodeLabel(kinds, nodes.get("conditions[1]")!)).toBe("Customer address");
    expect(nodeLabel(kinds, nodes.get("conditions[1].conditions[0]")!)).toBe("City is Los Angeles");
    for (const node of nodes.values()) expect(nodeLabel(kinds, node)).not.toMatch(/\w\.\w/);
  });
});

describe("kinds on declared customer fields", () => {
  it("are not offered before a field of theirs is declared", () => {
    const none = { ...base, declaredFields: [] };
    const offered = addableKinds(none, "shopper", "CUSTOMERS").map((k) => k.kind);
    expect(offered).not.toContain("customer.metadata");
    expect(offered).not.toContain("customer.attribute");
    expect(waitingForDeclaredFields(none, "shopper", "CUSTOMERS").map((k) => k.kind).sort()).toEqual(["customer.attribute", "customer.metadata"]);
  });

  it("are offered once one is declared", () => {
    const offered = addableKinds(kinds, "shopper", "CUSTOMERS").map((k) => k.kind);
    expect(offered).toContain("customer.metadata");
    expect(offered).toContain("customer.attribute");
    expect(waitingForDeclaredFields(kinds, "shopper", "CUSTOMERS")).toEqual([]);
  });
});
