import fc from "fast-check";
import { describe, expect, it } from "vitest";
import kindsFixture from "./fixtures/condition-kinds.json";
import {
  addNode, errorsByNode, load, nodePaths, removeNode, save, setGroup, setParams,
  type Json, type JsonObject,
} from "../src/builder/tree";
import { describe as kindExtra, newNode, shapeOf, type ConditionKinds, type Kind } from "../src/builder/kinds";

// the real API's answer (tests/ui/test_condition_kinds_fixture.py keeps it current)
const kinds = {
  ...(kindsFixture as unknown as ConditionKinds),
  declaredFields: [
    { source: "metadata", key: "gender", label: "Gender", type: "string", choices: null },
    { source: "attribute", key: "vip-level", label: "VIP level", type: "number", choices: null },
  ],
};
const byScope = (scope: string) => kinds.kinds.filter((k) => k.scope === scope);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Arb = fc.Arbitrary<any>;
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const valueFor = (type: string, operator: string): fc.Arbitrary<Json> => {
  if (operator === "undefined") return fc.boolean();
  if (operator === "in" || operator === "not_in") return fc.array(scalar, { minLength: 1, maxLength: 4 });
  if (operator === "between") return fc.tuple(scalar, scalar).map((t) => [...t]);
  if (operator === "in_last_days") return fc.nat(36500);
  if (type === "boolean") return fc.boolean();
  if (type === "date") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (type === "number" || type === "integer" || type === "id") return fc.integer({ min: 1 });
  return fc.string({ minLength: 1 });
};

const comparison = (kind: Kind): Arb => {
  const shape = shapeOf(kind);
  if (shape.type === "declared") {
    return fc.constantFrom(...kinds.declaredFields).chain((f) =>
      fc.constantFrom("is", "is_not", "undefined").chain((operator) =>
        valueFor(f.type, operator).map((value) => ({
          [shape.keyName]: f.key, type: f.type, operator, value,
          ...(shape.withSource ? { source: f.source } : {}),
        }))));
  }
  if (shape.type === "container") return fc.constant({});
  return fc.constantFrom(...kind.fields).chain((field) =>
    fc.constantFrom(...field.operators.map((o) => o.name)).chain((operator) =>
      valueFor(field.type, operator).map((value) => ({
        ...(shape.type === "field" ? { [shape.keyName]: field.name } : {}), operator, value,
      }))));
};

const extras = (kind: Kind): Arb => {
  const d = kindExtra(kind);
  const parts: Arb[] = [];
  if (Array.isArray(d.addresses)) parts.push(fc.constantFrom(...(d.addresses as string[])).map((address) => ({ address })));
  if (Array.isArray(d.sources)) parts.push(fc.record({ source: fc.constantFrom(...(d.sources as string[])), found: fc.boolean() }));
  if (kind.kind === "orders" || kind.kind === "products") {
    parts.push(fc.option(fc.oneof(fc.record({ last_days: fc.nat(3650) }),
      fc.record({ from: fc.constant("2024-01-01"), to: fc.constant("2024-12-31") }, { requiredKeys: [] })), { nil: undefined })
      .map((period) => (period === undefined ? {} : { period })));
  }
  if (kind.kind === "product.category") parts.push(fc.option(fc.boolean(), { nil: undefined }).map((v) => (v === undefined ? {} : { include_descendants: v })));
  if (kind.kind === "product.attribute") parts.push(fc.string({ minLength: 1 }).map((attribute) => ({ attribute })));
  return parts.length ? fc.tuple(...parts).map((ps) => Object.assign({}, ...ps)) : fc.constant({});
};

const groupKeys = fc.record({ aggregator: fc.constantFrom("all", "any"), expected: fc.boolean() }, { requiredKeys: [] });

// a tree as the API returns it, of the kinds allowed in each scope, nested
const nodeIn = (depth: number) => (scope: string): Arb => {
  const leafKinds = byScope(scope);
  const leaf = fc.constantFrom(...leafKinds).chain((kind) => {
    const children = kind.childrenScope && depth > 0
      ? fc.array(nodeIn(depth - 1)(kind.childrenScope), { maxLength: 3 })
      : fc.constant([] as JsonObject[]);
    return fc.tuple(comparison(kind), extras(kind), groupKeys, children).map(([cmp, extra, keys, conditions]) => ({
      kind: kind.kind, ...cmp, ...extra, ...(kind.childrenScope ? { ...keys, conditions } : {}),
    }));
  });
  if (depth <= 0) return leaf;
  const group = fc.tuple(groupKeys, fc.array(nodeIn(depth - 1)(scope), { maxLength: 3 }))
    .map(([keys, conditions]) => ({ kind: "group", ...keys, conditions }));
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: group });
};

const treeIn = (scope: string): fc.Arbitrary<JsonObject & { conditions: Json[] }> =>
  fc.tuple(groupKeys, fc.array(nodeIn(3)(scope), { maxLength: 4 }), fc.boolean())
    .map(([keys, conditions, versioned]) => ({ ...(versioned ? { version: 1 } : {}), ...keys, conditions }));

describe("builder state", () => {
  it("the fixture is the API's answer, with every kind group", () => {
    expect(kinds.kinds.length).toBeGreaterThan(15);
    for (const kind of kinds.kinds) expect(kinds.groups.map((g) => g.code)).toContain(kind.group);
  });

  it("loads every shopper tree and saves it back unchanged", () => {
    fc.assert(fc.property(treeIn("shopper"), (tree) => {
      expect(save(load(tree))).toStrictEqual(tree);
    }), { numRuns: 400 });
  });

  it("loads every product condition tree (content rules) and saves it back unchanged", () => {
    fc.assert(fc.property(treeIn("item"), (tree) => {
      expect(save(load(tree))).toStrictEqual(tree);
    }), { numRuns: 200 });
  });

  it("keeps keys it does not know and malformed children", () => {
    const tree = { version: 1, conditions: [{ kind: "future.kind", x: { deep: [1, 2] } }, 7, null], extra: "kept" };
    expect(save(load(tree as Json))).toStrictEqual(tree);
  });

  it("loading is a pure function: same ids for the same JSON", () => {
    fc.assert(fc.property(treeIn("shopper"), (tree) => {
      expect(load(tree)).toStrictEqual(load(tree));
    }), { numRuns: 50 });
  });

  it("adding a node of every kind and removing it again gives the tree back", () => {
    fc.assert(fc.property(treeIn("shopper"), fc.constantFrom(...byScope("shopper")), (tree, kind) => {
      const state = load(tree);
      const node = newNode(kinds, kind);
      const added = addNode(state, "root", node);
      expect((save(added).conditions as Json[]).length).toBe(tree.conditions.length + 1);
      expect(save(removeNode(added, node.id))).toStrictEqual(tree);
    }), { numRuns: 100 });
  });

  it("edits change only what they touch", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const tree: any = { conditions: [{ kind: "customer.field", field: "email", operator: "contains", value: "a" },
      { kind: "address", address: "any", aggregator: "all", expected: true,
        conditions: [{ kind: "address.field", field: "city", operator: "is", value: "Paris" }] }] };
    let state = load(tree);
    const address = state.root.children[1]!;
    const city = address.group!.children[0]!;
    state = setParams(state, city.id, { value: "Los Angeles" });
    state = setGroup(state, address.id, { aggregator: "any" });
    state = setGroup(state, "root", { expected: false });
    expect(save(state)).toStrictEqual({ expected: false, conditions: [tree.conditions[0],
      { ...tree.conditions[1], aggregator: "any", conditions: [{ ...tree.conditions[1].conditions[0], value: "Los Angeles" }] }] });
  });

  it("new nodes have the shape their kind's validation reads", () => {
    for (const kind of kinds.kinds) {
      const node = newNode(kinds, kind);
      const json = save({ top: {}, root: { id: "root", aggregator: undefined, expected: undefined, children: [node] } });
      const saved = (json.conditions as JsonObject[])[0]!;
      expect(saved.kind).toBe(kind.kind);
      if (kind.childrenScope) expect(saved.conditions).toStrictEqual([]);
      if (kind.fields.length) expect(saved).toHaveProperty("operator");
    }
  });
});

describe("API paths", () => {
  const tree = load({ conditions: [
    { kind: "customer.metadata", key: "gender", type: "string", operator: "is", value: "" },
    { kind: "address", address: "any", conditions: [
      { kind: "address.field", field: "city", operator: "is", value: "" },
      { kind: "group", conditions: [{ kind: "address.field", field: "country", operator: "is", value: "XX" }] }] },
    { kind: "orders", measure: "count", operator: "gte", value: 1, period: { last_days: -1 }, conditions: [] }] });

  it("every node has the path the API uses", () => {
    expect([...nodePaths(tree).values()]).toStrictEqual(["", "conditions[0]", "conditions[1]",
      "conditions[1].conditions[0]", "conditions[1].conditions[1]", "conditions[1].conditions[1].conditions[0]", "conditions[2]"]);
  });

  it("errors land on the node they point to, with their key", () => {
    const found = errorsByNode(tree, [
      { field: "conditions[1].conditions[1].conditions[0].value", message: "expected a country code" },
      { field: "conditions[0].value", message: "expected a non-empty string" },
      { field: "conditions[2].period.last_days", message: "expected a number of days" },
      { field: "conditions", message: "whole tree" },
      { field: "conditions[9].kind", message: "gone" },
    ]);
    const [metadata, address, orders] = tree.root.children;
    const country = address!.group!.children[1]!.group!.children[0]!;
    expect(found.get(country.id)).toStrictEqual([{ key: "value", message: "expected a country code" }]);
    expect(found.get(metadata!.id)).toStrictEqual([{ key: "value", message: "expected a non-empty string" }]);
    expect(found.get(orders!.id)).toStrictEqual([{ key: "period.last_days", message: "expected a number of days" }]);
    expect(found.get("root")).toStrictEqual([{ key: "", message: "whole tree" }, { key: "conditions[9].kind", message: "gone" }]);
  });
});
