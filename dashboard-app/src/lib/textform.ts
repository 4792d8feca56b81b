// The builder's Text tab and cost warnings, as pure functions: where a parse error stands in
// the text (the line with a caret under the column), and which condition a warning is about.
import { nodeLabel } from "../builder/label";
import type { ConditionKinds } from "../builder/kinds";
import { findNode, nodePaths, type Tree } from "../builder/tree";

export type TextError = { message: string | null; line: number | null; column: number | null; field?: string | null; code?: string };

/** "line 3, column 7: expected ..." with the line's text and a caret under the column. */
export function errorExcerpt(text: string, error: TextError): { where: string; source: string; caret: string } {
  const lines = text.split(/\r\n|\r|\n/);
  const line = Math.min(Math.max(1, error.line ?? 1), Math.max(1, lines.length));
  const source = (lines[line - 1] ?? "").replace(/\t/g, " ");
  const column = Math.min(Math.max(1, error.column ?? 1), source.length + 1);
  return { where: error.line != null ? `Line ${line}, column ${column}` : "", source, caret: `${" ".repeat(column - 1)}^` };
}

/** The condition a tree path ("conditions[1]", "conditions[0].conditions[2]") names, in the
 * builder's words; the whole tree for "" (or a path the tree does not have). */
export function conditionAt(tree: Tree, kinds: ConditionKinds, path: string): { nodeId: string; label: string } {
  for (const [id, p] of nodePaths(tree)) {
    if (p === path && id !== "root") {
      const node = findNode(tree, id);
      if (node) return { nodeId: id, label: nodeLabel(kinds, node) };
    }
  }
  return { nodeId: "root", label: "The whole definition" };
}

export type CostLike = { estimatedRows: number; budgetExceeded: boolean; expensive: { path: string }[] };

/** The cost warning's headline, or null when the planner sees nothing slow. */
export function costHeadline(cost: CostLike | null | undefined): string | null {
  if (!cost) return null;
  const n = cost.expensive.length;
  if (n > 0) return `${n === 1 ? "One condition reads" : `${n} conditions read`} a large table from start to end: refreshing this segment will be slow.`;
  if (cost.budgetExceeded) return "Estimating the cost took too long: this definition may be slow.";
  return null;
}

/** Roughly how many shoppers the planner expects ("~1,200"); its guess, not a count. */
export function estimateText(rows: number): string {
  if (!Number.isFinite(rows) || rows < 0) return "—";
  const rounded = rows >= 1000 ? Math.round(rows / 100) * 100 : Math.round(rows);
  return `~${rounded.toLocaleString("en")}`;
}

/** Saving asks once more while the definition has cost warnings the merchant has not seen
 * confirmed for exactly this definition. */
export function mustConfirm(cost: CostLike | null | undefined, definition: string, confirmed: string | null): boolean {
  return !!cost && cost.expensive.length > 0 && confirmed !== definition;
}
