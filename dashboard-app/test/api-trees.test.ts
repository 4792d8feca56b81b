import { describe, expect, it } from "vitest";
import kindsFixture from "./fixtures/condition-kinds.json";
import apiTrees from "./fixtures/api-trees.json";
import { fieldOf, shapeOf, DECLARED_OPERATORS, type ConditionKinds } from "../src/builder/kinds";
import { load, save, type Group, type Json } from "../src/builder/tree";
import { pluginApiUrl } from "../src/lib/api";
import { routeOf } from "../src/lib/route";

const kinds = kindsFixture as unknown as ConditionKinds;

function* nodes(group: Group): Generator<{ kind: string; params: Record<string, Json> }> {
  for (const child of group.children) {
    yield child;
    if (child.group) yield* nodes(child.group);
  }
}

describe("trees the API returns (tests/ui/api_trees.py)", () => {
  it.each(apiTrees.map((tree, i) => [i, tree]))("tree %i loads and saves back unchanged", (_i, tree) => {
    expect(save(load(tree as Json))).toStrictEqual(tree);
  });

  it("the builder knows every node: its kind, field and operator", () => {
    let seen = 0;
    for (const tree of apiTrees) {
      for (const node of nodes(load(tree as Json).root)) {
        seen += 1;
        if (node.kind === "group") continue;
        const kind = kinds.kinds.find((k) => k.kind === node.kind);
        expect(kind, node.kind).toBeDefined();
        const shape = shapeOf(kind!);
        if (shape.type === "declared") {
          expect(DECLARED_OPERATORS[node.params.type as string]).toContain(node.params.operator);
        } else if (shape.type !== "container") {
          const field = fieldOf(kind!, node.params);
          expect(field, `${node.kind} ${JSON.stringify(node.params)}`).toBeDefined();
          expect(field!.operators.map((o) => o.name)).toContain(node.params.operator);
        }
      }
    }
    expect(seen).toBeGreaterThan(30);
  });
});

describe("where the app is", () => {
  it("finds the plugin API next to the app, at any route depth", () => {
    expect(pluginApiUrl("/plugins/global/saleor_segments/app/")).toBe("/plugins/global/saleor_segments/graphql/");
    expect(pluginApiUrl("/plugins/global/saleor_segments/app/customer-widget")).toBe("/plugins/global/saleor_segments/graphql/");
    expect(pluginApiUrl("/shop/plugins/global/saleor_segments/app/segments/1")).toBe("/shop/plugins/global/saleor_segments/graphql/");
  });

  it("routes the manifest's extension urls with their mount parameters", () => {
    const base = "/plugins/global/saleor_segments/app";
    expect(routeOf(`${base}/`, "")).toEqual({ page: "home" });
    expect(routeOf(`${base}/some/sub/path`, "")).toEqual({ page: "home" });
    expect(routeOf(`${base}/segments/U2VnbWVudDox`, "?theme=dark")).toEqual({ page: "home", segment: "U2VnbWVudDox" });
    expect(routeOf(`${base}/customer-widget`, "?customerId=VXNlcjox&theme=light")).toEqual({ page: "customer-widget", customerId: "VXNlcjox" });
    expect(routeOf(`${base}/voucher-segments`, "?voucherId=Vm91Y2hlcjox")).toEqual({ page: "voucher-segments", voucherId: "Vm91Y2hlcjox" });
    expect(routeOf(`${base}/discount-segments`, "?discountId=UHJvbW90aW9uOng")).toEqual({ page: "discount-segments", discountId: "UHJvbW90aW9uOng" });
  });
});
