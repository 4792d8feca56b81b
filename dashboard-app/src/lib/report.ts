// A segment report as the merchant composes it: each segment of the channel is left out,
// included, or excluded; included ones combine as ANY (union) or ALL (intersection).
import type { ReportInput } from "./queries";

export type Role = "" | "include" | "exclude";
export type Picks = Record<string, Role>; // segment ID -> role
export type Mode = "ANY" | "ALL";
export const MAX_OVERLAP = 20;

/** The GraphQL SegmentReportInput, or the reason there is none yet. Order follows `order`
 * (the list's order) so equal picks give an equal input (and one cache key). */
export function reportInput(picks: Picks, mode: Mode, order: string[]): { input: ReportInput } | { problem: string } {
  const ordered = [...order, ...Object.keys(picks).filter((id) => !order.includes(id))];
  const segments = ordered.filter((id) => picks[id] === "include");
  const exclude = ordered.filter((id) => picks[id] === "exclude");
  if (segments.length === 0) return { problem: exclude.length ? "Include at least one segment: exclusions only remove customers." : "Pick the segments to combine." };
  return { input: { segments, mode, exclude } };
}

function list(names: string[], joiner: string): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} ${joiner} ${names[names.length - 1]}`;
}

/** The report in words: "In A and B, but not in C". */
export function describeReport(input: ReportInput, nameOf: (id: string) => string): string {
  const included = input.segments.map((id) => `“${nameOf(id)}”`);
  const excluded = input.exclude.map((id) => `“${nameOf(id)}”`);
  const base = included.length === 1 ? `In ${included[0]}` : input.mode === "ALL" ? `In all of ${list(included, "and")}` : `In any of ${list(included, "or")}`;
  return excluded.length ? `${base}, but not in ${list(excluded, "or")}` : base;
}

/** The segments the overlap matrix compares: every picked one (included or excluded), at most
 * MAX_OVERLAP, in the list's order. */
export function overlapSelection(picks: Picks, order: string[]): { ids: string[]; dropped: number } {
  const picked = order.filter((id) => picks[id] === "include" || picks[id] === "exclude");
  return { ids: picked.slice(0, MAX_OVERLAP), dropped: Math.max(0, picked.length - MAX_OVERLAP) };
}

/** The channel a report opens on: the one a segment is in (`withSegments`, the channel of the
 * first segment by name, if any), else the first channel. */
export function defaultChannel(channels: { id: string }[], withSegments: string | null | undefined): string {
  const found = channels.find((c) => c.id === withSegments);
  return (found ?? channels[0])?.id ?? "";
}
