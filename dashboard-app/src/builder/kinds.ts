// What the builder offers, read from the API's `segmentConditionKinds` (never hard-coded).
import { newId, type Json, type JsonObject, type Node } from "./tree";

export type Operator = { name: string; label: string | null };
export type Field = { name: string; type: string; object: string | null; choices: string[] | null; operators: Operator[] };
export type Kind = {
  kind: string;
  label: string;
  group: string;
  scope: string;
  childrenScope: string | null;
  applyTo: string[];
  events: string[];
  fields: Field[];
  description: string; // JSON: extra choices (addresses, sources, ...)
};
export type Choice = { code: string; label: string };
export type DeclaredField = { source: string; key: string; label: string | null; type: string; choices: string[] | null };
export type ConditionKinds = {
  formatVersion: number;
  aggregators: string[];
  maxDepth: number;
  maxConditions: number;
  groups: Choice[];
  kinds: Kind[];
  declaredFields: DeclaredField[];
  countries: Choice[];
  orderStatuses: Choice[];
  customerTypes: Choice[];
};

export const KINDS_QUERY = `query ConditionKinds { segmentConditionKinds {
  formatVersion aggregators maxDepth maxConditions groups { code label }
  kinds { kind label group scope childrenScope applyTo events description
    fields { name type object choices operators { name label } } }
  declaredFields { source key label type choices }
  countries { code label } orderStatuses { code label } customerTypes { code label } } }`;

/** Operators of the value types customers can declare (customer attributes and metadata). */
export const DECLARED_OPERATORS: Record<string, string[]> = {
  string: ["is", "is_not", "contains", "not_contains", "in", "not_in", "undefined"],
  number: ["is", "is_not", "gt", "gte", "lt", "lte", "between", "in", "not_in", "undefined"],
  date: ["is", "is_not", "gt", "gte", "lt", "lte", "between", "in_last_days", "undefined"],
  boolean: ["is", "is_not", "undefined"],
};

export const OPERATOR_LABELS: Record<string, string> = {
  is: "is", is_not: "is not", contains: "contains", not_contains: "does not contain",
  in: "is one of", not_in: "is not one of", gt: "is greater than", gte: "is at least",
  lt: "is less than", lte: "is at most", between: "is between", in_last_days: "in the last days",
  undefined: "is undefined",
};

export function describe(kind: Kind): JsonObject {
  try {
    const parsed = JSON.parse(kind.description) as Json;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

export function kindsIn(kinds: ConditionKinds, scope: string, applyTo: string): Kind[] {
  return kinds.kinds.filter((k) => k.scope === scope && k.applyTo.includes(applyTo));
}

/** The kinds the "Add condition" picker offers: a kind on declared customer fields only once
 * one is declared (before that it could only be added with an empty field picker). */
export function addableKinds(kinds: ConditionKinds, scope: string, applyTo: string): Kind[] {
  return kindsIn(kinds, scope, applyTo).filter((k) => shapeOf(k).type !== "declared" || declaredFor(kinds, k.kind).length > 0);
}

/** Kinds left out of the picker until a customer field of theirs is declared. */
export function waitingForDeclaredFields(kinds: ConditionKinds, scope: string, applyTo: string): Kind[] {
  return kindsIn(kinds, scope, applyTo).filter((k) => shapeOf(k).type === "declared" && declaredFor(kinds, k.kind).length === 0);
}

export function declaredFor(kinds: ConditionKinds, kind: string): DeclaredField[] {
  return kinds.declaredFields.filter((f) => (kind === "customer.attribute" ? f.source === "attribute" : f.source !== "attribute"));
}

/** The shape of a node of this kind: which keys it carries besides operator/value. */
export type Shape =
  | { type: "declared"; keyName: "attribute" | "key"; withSource: boolean }
  | { type: "field"; keyName: "field" | "measure" }
  | { type: "value" }
  | { type: "container" };

export function shapeOf(kind: Kind): Shape {
  if (kind.kind === "customer.attribute") return { type: "declared", keyName: "attribute", withSource: false };
  if (kind.kind === "customer.metadata") return { type: "declared", keyName: "key", withSource: true };
  if (kind.fields.length === 1 && kind.fields[0]!.name === "value") return { type: "value" };
  if (kind.fields.length > 0) return { type: "field", keyName: kind.childrenScope ? "measure" : "field" };
  return { type: "container" };
}

export function fieldOf(kind: Kind, params: JsonObject): Field | undefined {
  const shape = shapeOf(kind);
  if (shape.type === "value") return kind.fields[0];
  if (shape.type === "field") return kind.fields.find((f) => f.name === params[shape.keyName]);
  return undefined;
}

export function emptyValue(type: string, operator: string): Json {
  if (operator === "undefined") return true;
  if (operator === "in" || operator === "not_in") return [];
  if (operator === "between") return type === "date" ? ["", ""] : [0, 0];
  if (operator === "in_last_days") return 30;
  if (type === "boolean") return true;
  if (type === "number" || type === "integer") return 0;
  return "";
}

/** A new node of a kind, as the merchant adds it (defaults the API accepts once filled in). */
export function newNode(kinds: ConditionKinds, kind: Kind | "group"): Node {
  const id = newId();
  if (kind === "group") {
    return { id, kind: "group", params: {}, group: { id, aggregator: "all", expected: true, children: [] } };
  }
  const params: JsonObject = {};
  const extra = describe(kind);
  const shape = shapeOf(kind);
  if (shape.type === "declared") {
    const field = declaredFor(kinds, kind.kind)[0];
    params[shape.keyName] = field?.key ?? "";
    if (shape.withSource) params.source = field?.source ?? "metadata";
    params.type = field?.type ?? "string";
    params.operator = "is";
    params.value = emptyValue(field?.type ?? "string", "is");
  } else if (shape.type === "field" || shape.type === "value") {
    const field = kind.fields[0]!;
    if (shape.type === "field") params[shape.keyName] = field.name;
    const operator = field.operators[0]?.name ?? "is";
    params.operator = operator;
    params.value = emptyValue(field.type, operator);
  }
  if (Array.isArray(extra.addresses) && typeof extra.addresses[0] === "string") params.address = extra.addresses[0];
  if (Array.isArray(extra.sources) && typeof extra.sources[0] === "string") {
    params.source = extra.sources[0];
    params.found = true;
  }
  if (kind.kind === "order.products") params.found = true;
  const group = kind.childrenScope ? { id, aggregator: "all" as const, expected: true, children: [] } : null;
  return { id, kind: kind.kind, params, group };
}
