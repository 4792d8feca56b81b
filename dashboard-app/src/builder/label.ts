// A node in words, with the labels the builder shows ("Gender is female", "City is Los Angeles"):
// used where a tree is read rather than edited (the customer widget's explanation).
import { declaredFor, fieldOf, OPERATOR_LABELS, shapeOf, type ConditionKinds } from "./kinds";
import type { Json, Node } from "./tree";

export function valueText(value: Json | undefined): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function nodeLabel(kinds: ConditionKinds, node: Node): string {
  if (node.kind === "group") return node.group?.aggregator === "any" ? "Any of" : "All of";
  const kind = kinds.kinds.find((k) => k.kind === node.kind);
  if (!kind) return node.kind;
  const p = node.params;
  const shape = shapeOf(kind);
  let subject = kind.label;
  let operatorLabel: string | null = null;
  if (shape.type === "declared") {
    const declared = declaredFor(kinds, kind.kind).find((f) => f.key === p[shape.keyName]);
    subject = declared?.label || valueText(p[shape.keyName]) || kind.label;
  } else if (shape.type === "field") {
    const name = valueText(p[shape.keyName]).replace(/_/g, " ");  // as the builder's field picker shows it
    subject = kind.childrenScope ? `${kind.label}: ${name}` : name.charAt(0).toUpperCase() + name.slice(1) || kind.label;
  }
  const field = shape.type === "field" || shape.type === "value" ? fieldOf(kind, p) : undefined;
  if (typeof p.operator === "string") {
    operatorLabel = field?.operators.find((o) => o.name === p.operator)?.label ?? OPERATOR_LABELS[p.operator] ?? p.operator.replace(/_/g, " ");
  }
  if (!operatorLabel) return subject;
  if (p.operator === "undefined") return `${subject} ${operatorLabel}`;
  const value = p.operator === "between" && Array.isArray(p.value) ? p.value.map(valueText).join(" and ") : valueText(p.value);
  return `${subject} ${operatorLabel} ${value}`.trim();
}
