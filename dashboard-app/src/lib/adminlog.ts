// The action log in words: who, which action, and which fields a change touched.
import type { AdminEvent } from "./queries";

export const ACTION_LABELS: Record<string, string> = {
  CREATED: "Created", UPDATED: "Changed", REFRESHED: "Refreshed", ACTIVATED: "Activated", DEACTIVATED: "Deactivated", DELETED: "Deleted",
};

const FIELD_LABELS: Record<string, string> = {
  name: "Name", description: "Description", channel_id: "Channel", status: "Status", apply_to: "Applies to",
  conditions: "Conditions", definition_version: "Definition version",
  // membership event subscriptions (never their secret)
  target_url: "Target URL", app_id: "App", segment_ids: "Segments", on_join: "Joins", on_leave: "Leaves",
  is_active: "Active",
};

export type Change = { field: string; label: string; before: string; after: string };

function parse(value: string | null): Record<string, unknown> | null {
  if (!value) return null;
  try {
    const parsed = typeof value === "string" ? JSON.parse(value) : value;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The fields whose value differs between the definition before and after (creations: every
 * field of after; deletions: every field of before), in the order the server gave them. */
export function changes(event: Pick<AdminEvent, "before" | "after">): Change[] {
  const before = parse(event.before) ?? {};
  const after = parse(event.after) ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => ({ field: f, label: FIELD_LABELS[f] ?? f, before: show(before[f]), after: show(after[f]) }));
}

/** Who did it: the staff user's email, the app's name or the API token's fingerprint (named
 * once, whether or not the server's name already says "API token"). */
export function actorText(event: Pick<AdminEvent, "actorKind" | "actorName">): string {
  const name = event.actorName || "unknown";
  const prefixed = (prefix: string) => (name.toLowerCase().startsWith(prefix.toLowerCase()) ? name : `${prefix} ${name}`);
  switch (event.actorKind) {
    case "APP": return prefixed("App");
    case "TOKEN": return prefixed("API token");
    case "STAFF": return name;
    default: return event.actorName ? name : "System";
  }
}

/** One line: "Changed Name, Conditions". */
export function summary(event: AdminEvent): string {
  const label = ACTION_LABELS[event.action] ?? event.action;
  if (event.action !== "UPDATED") return label;
  const changed = changes(event).filter((c) => c.field !== "definition_version").map((c) => c.label);
  return changed.length ? `${label} ${changed.join(", ")}` : label;
}
