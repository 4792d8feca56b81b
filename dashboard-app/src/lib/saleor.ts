// Saleor's own API (the Dashboard's saleorApiUrl, same token): channels and the value pickers.
// In standalone mode the host page points saleorApiUrl at the standalone server's read-only
// Saleor-shaped subset (saleor_segments/dashboard_app/standalone_saleor.py).
import { saleorGql, toGlobalId } from "./api";

export type Named = { id: string; name: string };

export async function channels(): Promise<{ id: string; name: string; slug: string }[]> {
  const data = await saleorGql<{ channels: { id: string; name: string; slug: string }[] }>("query { channels { id name slug } }");
  return data.channels;
}

type Lookup = { field: string; node: string; byIds?: "argument" };

/** Searches of the Saleor object types condition values refer to (the kinds' field `object`). */
export const PICKERS: Record<string, Lookup> = {
  Product: { field: "products", node: "id name" },
  ProductVariant: { field: "productVariants", node: "id name sku product { name }", byIds: "argument" },
  Category: { field: "categories", node: "id name" },
  Collection: { field: "collections", node: "id name" },
  ProductType: { field: "productTypes", node: "id name" },
  Attribute: { field: "attributes", node: "id name slug" },
};

function document(lookup: Lookup, mode: "search" | "ids"): string {
  const variable = mode === "search" ? "$search: String" : "$ids: [ID!]";
  const args = mode === "ids" && lookup.byIds === "argument" ? "ids: $ids"
    : `filter: {${mode === "search" ? "search: $search" : "ids: $ids"}}`;
  return `query Pick(${variable}) { ${lookup.field}(first: 20, ${args}) { edges { node { ${lookup.node} } } } }`;
}

function pick(lookup: Lookup, data: any): Named[] {
  return (data[lookup.field]?.edges ?? []).map(({ node }: any) => ({
    id: node.id,
    name: node.sku !== undefined ? `${node.product?.name ?? ""} ${node.name ?? ""}`.trim() + (node.sku ? ` (${node.sku})` : "") : node.name,
  }));
}

export async function search(object: string, text: string): Promise<Named[]> {
  const lookup = PICKERS[object];
  if (!lookup) return [];
  return pick(lookup, await saleorGql(document(lookup, "search"), { search: text }));
}

export async function names(object: string, pks: number[]): Promise<Map<number, string>> {
  const lookup = PICKERS[object];
  const result = new Map<number, string>();
  if (!lookup || pks.length === 0) return result;
  const ids = pks.map((pk) => toGlobalId(object, pk));
  for (const item of pick(lookup, await saleorGql(document(lookup, "ids"), { ids }))) {
    const pk = pks[ids.indexOf(item.id)];
    if (pk !== undefined) result.set(pk, item.name);
  }
  return result;
}

export async function attributeSlugs(text: string): Promise<{ slug: string; name: string }[]> {
  const data = await saleorGql<any>(`query($search: String) { attributes(first: 20, filter: {search: $search, type: PRODUCT_TYPE}) { edges { node { id name slug } } } }`, { search: text });
  return (data.attributes?.edges ?? []).map((e: any) => ({ slug: e.node.slug, name: e.node.name }));
}

/** Saleor's active Apps (a subscription's target); Saleor asks MANAGE_APPS for this list, so
 * it may be refused: the page then takes the App's ID as typed. */
export async function activeApps(): Promise<Named[]> {
  const data = await saleorGql<any>("query { apps(first: 100, filter: {isActive: true}) { edges { node { id name } } } }");
  return (data.apps?.edges ?? []).map((e: any) => ({ id: e.node.id, name: e.node.name ?? e.node.id }));
}
