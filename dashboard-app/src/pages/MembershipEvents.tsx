// Membership events: other systems (a URL, or a Saleor App) told when shoppers join or leave
// chosen segments. The list of subscriptions; create and edit (the secret shown once); activate,
// deactivate, delete; each subscription's deliveries with their status and a Retry.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { NoPermission } from "../App";
import { ActionLog } from "./ActionLog";
import { Card, ConfirmButton, ErrorText, formatDate, Grid, Message, NativeSelect, Page, Pager, TextInput, type Column } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import {
  DELIVERIES, DELIVERY_RETRY, SEGMENTS, SUBSCRIPTION_CREATE, SUBSCRIPTION_DELETE, SUBSCRIPTION_UPDATE, SUBSCRIPTIONS,
  type ApiErrors, type Connection, type Delivery, type DeliveryStatus, type Segment, type Subscription,
} from "../lib/queries";
import { activeApps } from "../lib/saleor";
import {
  changesText, createInput, deliveryState, emptyForm, EVENT_LABELS, eventsText, fieldErrors, formOf, STATUS_LABELS, statusTone,
  updateInput, validate, type FieldErrors, type SubscriptionForm,
} from "../lib/subscriptions";
import { useAsync } from "../lib/useAsync";
import { usePaging } from "./Members";

const PAGE_SIZE = 20;
type Saved = { errors: ApiErrors; secret: string | null; segmentSubscription: Subscription | null };
type View = { mode: "list" } | { mode: "new" } | { mode: "edit"; subscription: Subscription } | { mode: "deliveries"; subscription: Subscription };
type Shown = { name: string; secret: string; rotated: boolean };

/** The secret, once: a read-only field, a Copy button and what it is for. */
function SecretOnce({ shown, onDone }: { shown: Shown; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState("");
  async function copy() {
    // the Dashboard's iframe may not allow the clipboard API: then select it and copy the old way
    const policy = (document as any).permissionsPolicy ?? (document as any).featurePolicy;
    if (navigator.clipboard && (!policy || policy.allowsFeature("clipboard-write"))) {
      try {
        await navigator.clipboard.writeText(shown.secret);
        setCopied("Copied to the clipboard.");
        return;
      } catch {
        // below
      }
    }
    field.current?.select();
    setCopied(document.execCommand("copy") ? "Copied to the clipboard." : "Selected: press Ctrl+C (⌘C) to copy.");
  }
  return (
    <Card title={shown.rotated ? `New secret of “${shown.name}”` : `Subscription “${shown.name}” created`}>
      <Box display="flex" flexDirection="column" gap={3} role="status" data-testid="secret-once">
        <Text size={3} fontWeight="bold" color="critical1">
          Copy this secret now: it is shown only once. Neither this page nor the API can show it again.
        </Text>
        <Text size={2} color="default2">
          Every delivery carries X-Segments-Signature: sha256=HMAC-SHA256 of “timestamp.body” with this secret (the timestamp is in
          X-Segments-Timestamp). Keep it where your receiver checks signatures. Lost it? Edit the subscription and make a new one.
        </Text>
        <Box display="flex" gap={2} alignItems="center">
          <input ref={field} readOnly value={shown.secret} aria-label="Secret" data-testid="secret-value" onFocus={(e) => e.target.select()}
            style={{ flex: 1, height: 36, padding: "0 8px", fontFamily: "monospace", fontSize: 14, borderRadius: 8, border: "1px solid #ccc" }} />
          <Button onClick={copy}>Copy secret</Button>
          <Button variant="secondary" onClick={onDone}>I have stored it</Button>
        </Box>
        {copied && <Text size={2} aria-live="polite" data-testid="secret-copied">{copied}</Text>}
      </Box>
    </Card>
  );
}

function Field({ error, children }: { error?: string; children: ReactNode }) {
  return <Box display="flex" flexDirection="column" gap={1}>{children}{error && <ErrorText>{error}</ErrorText>}</Box>;
}

function fieldset(legend: string, children: ReactNode, error?: string) {
  return (
    <Field error={error}>
      <fieldset aria-invalid={error ? true : undefined} style={{ border: 0, padding: 0, margin: 0, display: "flex", gap: 16, flexWrap: "wrap" }}>
        <legend style={{ fontSize: 12, marginBottom: 4 }}>{legend}</legend>
        {children}
      </fieldset>
    </Field>
  );
}

function choice(type: "radio" | "checkbox", label: string, checked: boolean, onChange: () => void, name?: string, disabled?: boolean) {
  return (
    <label key={label} style={{ display: "flex", gap: 6, alignItems: "center", fontSize: 14, opacity: disabled ? 0.6 : 1 }}>
      <input type={type} name={name} checked={checked} disabled={disabled} onChange={onChange} />
      {label}
    </label>
  );
}

function SegmentChoice({ chosen, onChange, error }: { chosen: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const [search, setSearch] = useState("");
  const segments = useAsync(() => gql<{ segments: Connection<Segment> }>(SEGMENTS, {
    sortBy: { field: "NAME", direction: "ASC" }, first: 100,
  }).then((d) => d.segments.edges.map((e) => e.node)), []);
  const list = segments.data ?? [];
  const shown = list.filter((s) => !search.trim() || s.name.toLowerCase().includes(search.trim().toLowerCase()));
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  return (
    <Field error={error}>
      <fieldset aria-invalid={error ? true : undefined} style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 8 }}>
        <legend style={{ fontSize: 12, marginBottom: 4 }}>Segments ({chosen.length} chosen)</legend>
        {list.length > 8 && <TextInput aria-label="Find a segment" placeholder="Find a segment" value={search} onChange={setSearch} />}
        {segments.error && <Message tone="critical1">Segments could not be loaded: {segments.error.message}</Message>}
        {segments.loading && !segments.data && <Message>Loading segments…</Message>}
        {segments.data && list.length === 0 && <Message>There are no segments yet: make one on the Customer segments tab first.</Message>}
        <Box display="flex" flexDirection="column" gap={1} style={{ maxHeight: 220, overflowY: "auto" }}>
          {shown.map((s) => choice("checkbox", `${s.name} · ${s.channel.name ?? s.channel.slug}`, chosen.includes(s.id), () => toggle(s.id)))}
        </Box>
      </fieldset>
    </Field>
  );
}

function AppChoice({ value, onChange, error, disabled }: { value: string; onChange: (id: string) => void; error?: string; disabled?: boolean }) {
  const apps = useAsync(() => activeApps(), []);
  if (apps.data && apps.data.length > 0) {
    return (
      <Field error={error}>
        <NativeSelect label="Saleor App" value={value} onChange={onChange} disabled={disabled}
          options={[{ value: "", label: "Choose an App" }, ...apps.data.map((a) => ({ value: a.id, label: a.name }))]} />
      </Field>
    );
  }
  return (
    <Field error={error}>
      <TextInput label="Saleor App ID" value={value} onChange={onChange} error={!!error} disabled={disabled} placeholder="e.g. QXBwOjQ=" />
      {!disabled && <Text size={2} color="default2">
        {apps.loading ? "Looking for installed Apps…" : "The Apps could not be listed here (Saleor asks the MANAGE_APPS permission for that): " +
          "give the App's ID, as Configuration → Apps shows it."}
      </Text>}
    </Field>
  );
}

function SubscriptionEditor({ subscription, onSaved, onCancel }: {
  subscription: Subscription | null; onSaved: (saved: Subscription, secret: string | null) => void; onCancel: () => void;
}) {
  const [form, setForm] = useState<SubscriptionForm>(() => (subscription ? formOf(subscription) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const creating = subscription === null;
  const set = (change: Partial<SubscriptionForm>) => setForm((f) => ({ ...f, ...change }));

  async function save(rotateSecret = false) {
    const problems = validate(form, creating);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setSaving(true);
    try {
      const result = creating
        ? (await gql<{ segmentSubscriptionCreate: Saved }>(SUBSCRIPTION_CREATE, { input: createInput(form) })).segmentSubscriptionCreate
        : (await gql<{ segmentSubscriptionUpdate: Saved }>(SUBSCRIPTION_UPDATE, {
          id: subscription.id, input: { ...updateInput(form, subscription), ...(rotateSecret ? { rotateSecret: true } : {}) },
        })).segmentSubscriptionUpdate;
      if (result.errors.length || !result.segmentSubscription) setErrors(fieldErrors(result.errors));
      else onSaved(result.segmentSubscription, result.secret);
    } catch (error) {
      setErrors({ form: (error as Error).message });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Page title={creating ? "New subscription" : `Edit “${subscription.name}”`} back={onCancel}>
      <Card>
        <form aria-label={creating ? "New subscription" : "Edit subscription"} onSubmit={(e) => { e.preventDefault(); save(); }}
          style={{ display: "flex", flexDirection: "column", gap: 16, maxWidth: 640 }}>
          <Field error={errors.name}>
            <TextInput label="Name" value={form.name} onChange={(name) => set({ name })} error={!!errors.name} placeholder="e.g. CRM" />
          </Field>
          {fieldset("Send to", [
            choice("radio", "A URL (signed with a secret)", form.target === "url", () => set({ target: "url" }), "target", !creating),
            choice("radio", "A Saleor App (signed by Saleor)", form.target === "app", () => set({ target: "app" }), "target", !creating),
          ])}
          {form.target === "app" && <AppChoice value={form.app} onChange={(app) => set({ app })} error={errors.app} disabled={!creating} />}
          <Field error={errors.targetUrl}>
            <TextInput label={form.target === "app" ? "The App's URL for these events" : "Target URL"} value={form.targetUrl}
              onChange={(targetUrl) => set({ targetUrl })} error={!!errors.targetUrl} placeholder="https://crm.example.com/hooks" />
          </Field>
          {fieldset("Events", (["JOINED", "LEFT"] as const).map((e) =>
            choice("checkbox", EVENT_LABELS[e], form.events[e], () => set({ events: { ...form.events, [e]: !form.events[e] } }))), errors.events)}
          <SegmentChoice chosen={form.segments} onChange={(segments) => set({ segments })} error={errors.segments} />
          {choice("checkbox", "Active (deliveries are sent)", form.isActive, () => set({ isActive: !form.isActive }))}
          {!creating && form.isActive && !subscription.isActive && (
            <Text size={2} color="default2">Re-activated, it hears of changes from then on: what happened while it was off is not sent.</Text>
          )}
          {errors.form && <ErrorText>{errors.form}</ErrorText>}
          <Box display="flex" gap={2}>
            <Button type="submit" disabled={saving}>{saving ? "Saving…" : creating ? "Create subscription" : "Save"}</Button>
            <Button type="button" variant="tertiary" onClick={onCancel}>Cancel</Button>
            {!creating && subscription.hasSecret && (
              <Button type="button" variant="secondary" disabled={saving} onClick={() => save(true)}>Save and make a new secret</Button>
            )}
          </Box>
        </form>
      </Card>
    </Page>
  );
}

/** A mutation run from a row: which row is busy, the error it got (shown in that row), a
 * notification when it went through, the list reloaded either way. */
function useRowAction(reload: () => void) {
  const bridge = useBridge();
  const [busy, setBusy] = useState("");
  const [error, setError] = useState<{ id: string; message: string } | null>(null);
  async function run(id: string, send: () => Promise<ApiErrors>, done: [string, string?]) {
    setBusy(id);
    setError(null);
    try {
      const errors = await send();
      if (errors.length) setError({ id, message: errors.map((e) => e.message ?? e.code).join(" ") });
      else bridge.notify("success", ...done);
    } catch (failure) {
      setError({ id, message: (failure as Error).message });
    } finally {
      setBusy("");
      reload();
    }
  }
  return { busy, errorOf: (id: string) => (error?.id === id ? error.message : ""), run };
}

const STATUS_FILTER = [{ value: "", label: "Any status" }, ...(["PENDING", "SUCCESS", "FAILED"] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] }))];

function Deliveries({ subscription, back }: { subscription: Subscription; back: () => void }) {
  const [status, setStatus] = useState("");
  const paging = usePaging([status]);
  const result = useAsync(() => gql<{ segmentMembershipDeliveries: Connection<Delivery> }>(DELIVERIES, {
    subscription: subscription.id, status: status || null, first: PAGE_SIZE, after: paging.after,
  }).then((d) => d.segmentMembershipDeliveries), [status, paging.after]);
  const action = useRowAction(result.reload);
  const page = result.data;
  const rows = page?.edges.map((e) => e.node) ?? [];

  const retry = (d: Delivery) => action.run(d.id, async () => (await gql<{ segmentMembershipDeliveryRetry: { errors: ApiErrors } }>(
    DELIVERY_RETRY, { id: d.id })).segmentMembershipDeliveryRetry.errors,
  ["Delivery queued again", "It is sent before this subscription's later deliveries."]);

  const columns: Column<Delivery>[] = [
    { key: "status", label: "Status", render: (d) => <Text size={3} fontWeight="medium" color={statusTone(d.status)} data-testid="delivery-status">{STATUS_LABELS[d.status]}</Text> },
    { key: "state", label: "Details", render: (d) => deliveryState(d) },
    { key: "attempts", label: "Attempts", render: (d) => d.attempts },
    { key: "code", label: "Response", render: (d) => (d.responseCode != null ? `HTTP ${d.responseCode}` : "—") },
    { key: "error", label: "Last error", render: (d) => <Text size={2} color={d.lastError ? "critical1" : "default2"}>{d.lastError ?? "—"}</Text> },
    { key: "changes", label: "Carries", render: (d) => changesText(d.changeIds.length) },
    { key: "created", label: "Created", render: (d) => formatDate(d.createdAt) },
    { key: "last", label: "Last attempt", render: (d) => (d.status === "PENDING" && d.nextAttemptAt ? `${formatDate(d.lastAttemptAt)} (next ${formatDate(d.nextAttemptAt)})` : formatDate(d.lastAttemptAt)) },
    { key: "actions", label: "", render: (d) => d.status === "FAILED" ? (
      <Box display="flex" flexDirection="column" gap={1}>
        <Button size="small" variant="secondary" disabled={action.busy === d.id} onClick={() => retry(d)}
          aria-label={`Retry delivery created ${formatDate(d.createdAt)}`}>{action.busy === d.id ? "Retrying…" : "Retry"}</Button>
        {action.errorOf(d.id) && <ErrorText>{action.errorOf(d.id)}</ErrorText>}
      </Box>
    ) : null },
  ];
  return (
    <Page title={`Deliveries of “${subscription.name}”`} back={back} actions={<Button variant="secondary" onClick={result.reload}>Reload</Button>}>
      <Card>
        <Text size={2} color="default2">
          {subscription.targetUrl} · {eventsText(subscription.events)} of {subscription.segments.map((s) => s.name).join(", ") || "no segment"} ·
          {subscription.isActive ? " active" : " inactive (nothing is sent)"}. A failed delivery can be sent again: it goes before the later ones.
        </Text>
        <Box display="flex" gap={3} alignItems="flex-end">
          <NativeSelect label="Status" value={status} onChange={setStatus} options={STATUS_FILTER} />
        </Box>
        {result.error && <Message tone="critical1">Deliveries could not be loaded: {result.error.message}</Message>}
        <Grid columns={columns} rows={rows} rowKey={(d) => d.id}
          empty={result.loading ? "Loading…" : status ? `No ${STATUS_LABELS[status as DeliveryStatus].toLowerCase()} delivery.`
            : "Nothing delivered yet: deliveries appear once a shopper joins or leaves one of its segments."} />
        <Pager total={page?.totalCount} hasPrevious={paging.hasPrevious} hasNext={page?.pageInfo.hasNextPage ?? false}
          onPrevious={paging.previous} onNext={() => paging.next(page!.pageInfo.endCursor)} />
      </Card>
      <ActionLog objectType="SEGMENT_SUBSCRIPTION" objectId={subscription.id} />
    </Page>
  );
}

function SubscriptionList({ open, edit, create, shown, dismiss }: {
  open: (s: Subscription) => void; edit: (s: Subscription) => void; create: () => void; shown: Shown | null; dismiss: () => void;
}) {
  const paging = usePaging([]);
  const result = useAsync(() => gql<{ segmentSubscriptions: Connection<Subscription> }>(SUBSCRIPTIONS, { first: PAGE_SIZE, after: paging.after })
    .then((d) => d.segmentSubscriptions), [paging.after]);
  const action = useRowAction(result.reload);
  if (result.error instanceof PermissionError) return <NoPermission what="membership events" />;
  const page = result.data;
  const rows = page?.edges.map((e) => e.node) ?? [];

  const change = (s: Subscription, what: "activate" | "deactivate" | "delete") => action.run(s.id, async () => (what === "delete"
    ? (await gql<{ segmentSubscriptionDelete: { errors: ApiErrors } }>(SUBSCRIPTION_DELETE, { id: s.id })).segmentSubscriptionDelete.errors
    : (await gql<{ segmentSubscriptionUpdate: Saved }>(SUBSCRIPTION_UPDATE, { id: s.id, input: { isActive: what === "activate" } })).segmentSubscriptionUpdate.errors),
  [what === "delete" ? `Deleted “${s.name}”` : `“${s.name}” ${what}d`]);

  const columns: Column<Subscription>[] = [
    { key: "name", label: "Name", render: (s) => <Text fontWeight="medium">{s.name}</Text> },
    { key: "target", label: "Sends to", render: (s) => (
      <Box display="flex" flexDirection="column">
        <Text size={2} style={{ wordBreak: "break-all" }}>{s.targetUrl}</Text>
        <Text size={1} color="default2">{s.appId ? "Saleor App (signed by Saleor)" : s.hasSecret ? "Signed with its secret" : "Unsigned"}</Text>
      </Box>
    ) },
    { key: "events", label: "Events", render: (s) => eventsText(s.events) },
    { key: "segments", label: "Segments", render: (s) => s.segments.map((x) => x.name).join(", ") || <Text color="critical1">none left</Text> },
    { key: "status", label: "Status", render: (s) => <Text color={s.isActive ? "success1" : "default2"} data-testid="subscription-status">{s.isActive ? "Active" : "Inactive"}</Text> },
    { key: "failed", label: "Failed deliveries", render: (s) => <Text color={s.failed.totalCount ? "critical1" : "default2"}>{s.failed.totalCount ?? 0}</Text> },
    { key: "actions", label: "", width: 300, render: (s) => (
      <Box display="flex" flexDirection="column" gap={1}>
        <Box display="flex" gap={1} flexWrap="wrap" alignItems="center">
          <Button size="small" variant="secondary" onClick={() => open(s)} aria-label={`Deliveries of ${s.name}`}>Deliveries</Button>
          <Button size="small" variant="secondary" onClick={() => edit(s)} aria-label={`Edit ${s.name}`}>Edit</Button>
          <Button size="small" variant="secondary" disabled={action.busy === s.id} onClick={() => change(s, s.isActive ? "deactivate" : "activate")}
            aria-label={`${s.isActive ? "Deactivate" : "Activate"} ${s.name}`}>{s.isActive ? "Deactivate" : "Activate"}</Button>
          <ConfirmButton label="Delete" confirm={`Delete “${s.name}” and its deliveries?`} onConfirm={() => change(s, "delete")} />
        </Box>
        {action.errorOf(s.id) && <ErrorText>{action.errorOf(s.id)}</ErrorText>}
      </Box>
    ) },
  ];
  return (
    <Page title="Membership events" actions={<Button onClick={create}>Add subscription</Button>}>
      {shown && <SecretOnce shown={shown} onDone={dismiss} />}
      <Card>
        <Text size={2} color="default2">
          Other systems (a CRM, an e-mail tool, a Saleor App) are told when shoppers join or leave the chosen segments: signed JSON
          POSTs, batched, retried with back-off. See the README's “Membership events” for the payload.
        </Text>
        {result.error && <Message tone="critical1">Subscriptions could not be loaded: {result.error.message}</Message>}
        <Grid columns={columns} rows={rows} rowKey={(s) => s.id}
          empty={result.loading ? "Loading…" : "No subscription yet. Add one to tell another system about joins and leaves."} />
        <Pager total={page?.totalCount} hasPrevious={paging.hasPrevious} hasNext={page?.pageInfo.hasNextPage ?? false}
          onPrevious={paging.previous} onNext={() => paging.next(page!.pageInfo.endCursor)} />
      </Card>
    </Page>
  );
}

export default function MembershipEvents() {
  const [view, setView] = useState<View>({ mode: "list" });
  const [shown, setShown] = useState<Shown | null>(null);
  const list = useMemo(() => ({ mode: "list" }) as const, []);
  useEffect(() => {
    window.scrollTo?.(0, 0);
  }, [view]);
  if (view.mode === "new" || view.mode === "edit") {
    const before = view.mode === "edit" ? view.subscription : null;
    return (
      <SubscriptionEditor subscription={before} onCancel={() => setView(list)}
        onSaved={(saved, secret) => {
          setShown(secret ? { name: saved.name, secret, rotated: before !== null } : null);
          setView(list);
        }} />
    );
  }
  if (view.mode === "deliveries") return <Deliveries subscription={view.subscription} back={() => setView(list)} />;
  return (
    <SubscriptionList shown={shown} dismiss={() => setShown(null)} create={() => { setShown(null); setView({ mode: "new" }); }}
      edit={(subscription) => { setShown(null); setView({ mode: "edit", subscription }); }}
      open={(subscription) => setView({ mode: "deliveries", subscription })} />
  );
}
