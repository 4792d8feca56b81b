// Membership event subscriptions as the merchant edits them: the form, its checks before
// sending (the same rules as the API's, so most mistakes show at once), the GraphQL inputs,
// errors by field, and the words for a delivery's state.
import type { ApiErrors, Delivery, DeliveryStatus, MembershipEventKind, Subscription } from "./queries";

export type Target = "url" | "app";
export type SubscriptionForm = {
  name: string; target: Target; targetUrl: string; app: string;
  events: Record<MembershipEventKind, boolean>; segments: string[]; isActive: boolean;
};
export type FieldErrors = Partial<Record<"name" | "targetUrl" | "app" | "events" | "segments" | "form", string>>;

export const NAME_MAX = 255;
export const URL_MAX = 2048;
export const EVENT_LABELS: Record<MembershipEventKind, string> = { JOINED: "Joins (a shopper enters a segment)", LEFT: "Leaves (a shopper leaves a segment)" };

export function emptyForm(): SubscriptionForm {
  return { name: "", target: "url", targetUrl: "", app: "", events: { JOINED: true, LEFT: true }, segments: [], isActive: true };
}

export function formOf(s: Subscription): SubscriptionForm {
  return {
    name: s.name, target: s.appId ? "app" : "url", targetUrl: s.targetUrl, app: s.appId ?? "",
    events: { JOINED: s.events.includes("JOINED"), LEFT: s.events.includes("LEFT") },
    segments: s.segments.map((x) => x.id), isActive: s.isActive,
  };
}

function chosenEvents(form: SubscriptionForm): MembershipEventKind[] {
  return (["JOINED", "LEFT"] as const).filter((e) => form.events[e]);
}

/** Why the URL cannot be a target ("" when it can): http(s), a host, no credentials. */
export function urlProblem(url: string): string {
  const text = url.trim();
  if (!text) return "Give the URL deliveries are POSTed to.";
  if (text.length > URL_MAX || /\s/.test(text)) return `An http(s) URL of at most ${URL_MAX} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return "An http(s) URL, e.g. https://crm.example.com/hooks.";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "Only http:// and https:// URLs receive deliveries.";
  if (!parsed.hostname) return "The URL needs a host.";
  if (parsed.username || parsed.password) return "No credentials in the URL (the deliveries are signed).";
  return "";
}

/** The form's problems by field (empty: it can be sent). */
export function validate(form: SubscriptionForm, creating: boolean): FieldErrors {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = "Give the subscription a name.";
  else if (name.length > NAME_MAX) errors.name = `At most ${NAME_MAX} characters.`;
  const url = urlProblem(form.targetUrl);
  if (url) errors.targetUrl = url;
  if (creating && form.target === "app" && !form.app.trim()) errors.app = "Choose the Saleor App that receives the events.";
  if (chosenEvents(form).length === 0) errors.events = "Choose joins, leaves or both.";
  if (form.segments.length === 0) errors.segments = "Choose at least one segment.";
  return errors;
}

/** SegmentSubscriptionCreateInput. */
export function createInput(form: SubscriptionForm): Record<string, unknown> {
  return {
    name: form.name.trim(), targetUrl: form.targetUrl.trim(), segments: [...form.segments], events: chosenEvents(form),
    isActive: form.isActive, ...(form.target === "app" ? { app: form.app.trim() } : {}),
  };
}

/** SegmentSubscriptionUpdateInput: only what changed (the App is fixed once created). */
export function updateInput(form: SubscriptionForm, before: Subscription): Record<string, unknown> {
  const was = formOf(before);
  const now = createInput(form);
  const input: Record<string, unknown> = {};
  if (now.name !== was.name) input.name = now.name;
  if (now.targetUrl !== was.targetUrl) input.targetUrl = now.targetUrl;
  if (JSON.stringify([...form.segments].sort()) !== JSON.stringify([...was.segments].sort())) input.segments = now.segments;
  if (JSON.stringify(now.events) !== JSON.stringify(chosenEvents(was))) input.events = now.events;
  if (form.isActive !== was.isActive) input.isActive = form.isActive;
  return input;
}

/** The API's errors by the form's fields (an unknown field goes to the form as a whole). */
export function fieldErrors(errors: ApiErrors): FieldErrors {
  const known = new Set(["name", "targetUrl", "app", "events", "segments"]);
  const result: FieldErrors = {};
  for (const e of errors) {
    const key = (e.field && known.has(e.field) ? e.field : "form") as keyof FieldErrors;
    const message = e.message ?? e.code;
    result[key] = result[key] ? `${result[key]} ${message}` : message;
  }
  return result;
}

export const STATUS_LABELS: Record<DeliveryStatus, string> = { PENDING: "Pending", SUCCESS: "Delivered", FAILED: "Failed" };

/** What the merchant reads about one delivery's state. */
export function deliveryState(d: Delivery): string {
  if (d.status === "SUCCESS") return `Delivered${d.responseCode != null ? ` (HTTP ${d.responseCode})` : ""}`;
  if (d.status === "FAILED") return `Failed after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`;
  return d.attempts === 0 ? "Waiting to be sent" : `Retrying (${d.attempts} attempt${d.attempts === 1 ? "" : "s"} so far)`;
}

export function statusTone(status: DeliveryStatus): "success1" | "critical1" | "default2" {
  return status === "SUCCESS" ? "success1" : status === "FAILED" ? "critical1" : "default2";
}

/** "Joins and leaves", "Joins", "Leaves". */
export function eventsText(events: MembershipEventKind[]): string {
  const joins = events.includes("JOINED");
  const leaves = events.includes("LEFT");
  return joins && leaves ? "Joins and leaves" : joins ? "Joins" : leaves ? "Leaves" : "—";
}

/** "2 changes" / "1 change". */
export function changesText(count: number): string {
  return `${count} change${count === 1 ? "" : "s"}`;
}
