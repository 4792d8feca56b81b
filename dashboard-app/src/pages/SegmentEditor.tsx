// The segment editor, with Adobe's tabs: General Properties, Conditions (visual builder, live
// preview, JSON view), Matched Customers; plus refresh with progress, history and explain.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useRef, useState } from "react";
import { NoPermission } from "../App";
import { Builder } from "../builder/Builder";
import { TextEditor, type TextHandle } from "../builder/TextEditor";
import { KINDS_QUERY, type ConditionKinds } from "../builder/kinds";
import { errorsByNode, load, nodePaths, save, type Tree } from "../builder/tree";
import { Card, ErrorText, formatDate, Message, NativeSelect, Page, Tabs, TextInput } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import {
  EXPLAIN, PREVIEW, REFRESH_RUN, SEGMENT, SEGMENT_CREATE, SEGMENT_REFRESH, SEGMENT_UPDATE,
  type ApiErrors, type Explanation, type Preview, type RefreshRun, type Segment,
} from "../lib/queries";
import { lastRefreshText } from "../lib/refreshMode";
import { channels } from "../lib/saleor";
import { conditionAt, costHeadline, estimateText, mustConfirm } from "../lib/textform";
import { sampleLine } from "../lib/people";
import { useAsync } from "../lib/useAsync";
import { ActionLog } from "./ActionLog";
import { History, Members } from "./Members";
import { SegmentTrends } from "./SegmentTrends";
import { APPLY_TO_LABELS } from "./SegmentList";

const EMPTY = { version: 1, aggregator: "all", expected: true, conditions: [] };

export default function SegmentEditor({ id, back, onSaved }: { id: string | null; back: () => void; onSaved: (id: string) => void }) {
  const bridge = useBridge();
  const kinds = useAsync(() => gql<{ segmentConditionKinds: ConditionKinds }>(KINDS_QUERY).then((d) => d.segmentConditionKinds), []);
  const existing = useAsync(() => (id ? gql<{ segment: Segment | null }>(SEGMENT, { id }).then((d) => d.segment) : Promise.resolve(null)), [id]);
  const channelList = useAsync(() => channels().catch(() => []), []);
  const [tab, setTab] = useState("general");
  const [form, setForm] = useState({ name: "", description: "", status: "ACTIVE", channel: "", applyTo: "CUSTOMERS" });
  const [tree, setTree] = useState<Tree>(() => load(EMPTY));
  const [errors, setErrors] = useState<ApiErrors>([]);
  const [saving, setSaving] = useState(false);
  const [conditionsTab, setConditionsTab] = useState("visual");
  const [textProblems, setTextProblems] = useState(0);
  const [confirmedCost, setConfirmedCost] = useState<string | null>(null);
  const [askingCost, setAskingCost] = useState(false);
  const textHandle = useRef<TextHandle | null>(null);
  const [leaving, setLeaving] = useState<{ problems: number; go: () => void } | null>(null);
  const segment = existing.data ?? null;

  useEffect(() => {
    if (segment) {
      setForm({ name: segment.name, description: segment.description, status: segment.status, channel: segment.channel.id, applyTo: segment.applyTo });
      setTree(load(JSON.parse(segment.conditions)));
    }
  }, [segment?.id, segment?.updatedAt]);
  useEffect(() => {
    if (!form.channel && channelList.data?.length) setForm((f) => ({ ...f, channel: channelList.data![0]!.id }));
  }, [channelList.data]);

  const conditions = useMemo(() => save(tree), [tree]);
  const preview = usePreview(conditions, form.channel, form.applyTo);
  const shownErrors = errors.length ? errors : preview.data?.errors ?? [];
  const nodeErrors = useMemo(() => errorsByNode(tree, shownErrors.filter((e) => e.field?.startsWith("conditions"))), [tree, shownErrors]);
  const fieldError = (name: string) => errors.find((e) => e.field === name)?.message;

  if (kinds.error instanceof PermissionError || existing.error instanceof PermissionError) return <NoPermission />;
  if (kinds.error || existing.error) return <Page title="Segment" back={back}><Message tone="critical1">{(kinds.error ?? existing.error)!.message}</Message></Page>;
  if (!kinds.data || (id && !segment)) return <Page title="Segment" back={back}><Message>Loading…</Message></Page>;

  const definition = JSON.stringify(conditions);
  const cost = preview.data?.errors.length ? null : preview.data?.cost;

  /** Leaving the Text tab: what is typed is read first; with problems the merchant is asked,
   * instead of the builder silently keeping the last valid definition. */
  async function leaveText(go: () => void) {
    if (!(tab === "conditions" && conditionsTab === "text") || !textHandle.current) return go();
    let problems: number;
    try {
      problems = await textHandle.current.flush();
    } catch {
      problems = 1;
    }
    if (problems > 0) setLeaving({ problems, go });
    else go();
  }

  async function submit(costConfirmed = false) {
    if (conditionsTab === "text" && textProblems > 0) {
      setTab("conditions");
      bridge.notify("error", "Segment not saved", "Fix the problems in the text first.");
      return;
    }
    if (!costConfirmed && mustConfirm(cost, definition, confirmedCost)) {
      setAskingCost(true);
      return;
    }
    if (costConfirmed) setConfirmedCost(definition);
    setAskingCost(false);
    setSaving(true);
    try {
      const payload = { name: form.name, description: form.description, status: form.status, conditions: JSON.stringify(conditions) };
      const data = id
        ? (await gql<{ segmentUpdate: { errors: ApiErrors; segment: Segment | null } }>(SEGMENT_UPDATE, { id, input: payload })).segmentUpdate
        : (await gql<{ segmentCreate: { errors: ApiErrors; segment: Segment | null } }>(SEGMENT_CREATE, { input: { ...payload, channel: form.channel, applyTo: form.applyTo } })).segmentCreate;
      setErrors(data.errors);
      if (data.errors.length) {
        bridge.notify("error", "Segment not saved", data.errors.map((e) => e.message).join("; "));
        if (data.errors.some((e) => e.field?.startsWith("conditions"))) setTab("conditions");
      } else if (data.segment) {
        bridge.notify("success", "Segment saved");
        if (id) existing.reload(); else onSaved(data.segment.id);
      }
    } catch (e) {
      bridge.notify("error", "Segment not saved", (e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  const tabs = [{ value: "general", label: "General Properties" }, { value: "conditions", label: "Conditions" },
    ...(segment ? [{ value: "members", label: "Matched Customers" }, { value: "history", label: "Membership history" },
      { value: "trends", label: "Size over time" }, { value: "explain", label: "Why (not) a member?" }, { value: "log", label: "Action log" }] : [])];

  return (
    <Page title={segment ? segment.name : "New segment"} back={back} actions={<>
      {segment && <RefreshButton segment={segment} onDone={existing.reload} />}
      {askingCost ? (
        <Box display="flex" gap={2} alignItems="center" role="alertdialog" aria-label="Slow segment" data-testid="cost-confirm">
          <Text size={2} color="critical1" style={{ maxWidth: 360 }}>{costHeadline(cost)} Save anyway?</Text>
          <Button variant="error" onClick={() => submit(true)}>Save anyway</Button>
          <Button variant="tertiary" onClick={() => { setAskingCost(false); setTab("conditions"); }}>Review conditions</Button>
        </Box>
      ) : <Button onClick={() => submit()} disabled={saving}>{saving ? "Saving…" : "Save"}</Button>}
    </>}>
      <Tabs tabs={tabs} current={tab} onChange={(t) => t !== tab && leaveText(() => setTab(t))} />
      {tab === "general" && (
        <Card title="General Properties">
          <TextInput label="Segment name" value={form.name} onChange={(name) => setForm({ ...form, name })} error={!!fieldError("name")} />
          {fieldError("name") && <ErrorText>{fieldError("name")}</ErrorText>}
          <label style={{ display: "flex", flexDirection: "column", gap: 4 }}>
            <Text size={2} color="default2">Description</Text>
            <textarea aria-label="Description" value={form.description} rows={3} onChange={(e) => setForm({ ...form, description: e.target.value })}
              style={{ font: "inherit", fontSize: 14, borderRadius: 8, padding: 8 }} />
          </label>
          <Box display="flex" gap={4} flexWrap="wrap">
            <NativeSelect label="Status" value={form.status} onChange={(status) => setForm({ ...form, status })}
              options={[{ value: "ACTIVE", label: "Active" }, { value: "INACTIVE", label: "Inactive" }]} />
            <NativeSelect label="Channel" value={form.channel} disabled={!!segment} onChange={(channel) => setForm({ ...form, channel })}
              options={(channelList.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
            <NativeSelect label="Apply to" value={form.applyTo} disabled={!!segment} onChange={(applyTo) => setForm({ ...form, applyTo })}
              options={Object.entries(APPLY_TO_LABELS).map(([value, label]) => ({ value, label }))} />
          </Box>
          {segment && <Text size={2} color="default2">Channel and "apply to" are fixed once the segment is saved.</Text>}
          {segment && <Text size={2} color="default2" data-testid="last-refresh"
            title={segment.lastFullRefreshAt ? `Last full evaluation: ${formatDate(segment.lastFullRefreshAt)}` : undefined}>
            {lastRefreshText(segment.lastRefreshedAt ? formatDate(segment.lastRefreshedAt) : null, segment.lastRefreshMode)}
          </Text>}
          {["channel", "applyTo"].map((f) => fieldError(f) && <ErrorText key={f}>{fieldError(f)}</ErrorText>)}
        </Card>
      )}
      {tab === "conditions" && (
        <Box display="grid" gap={4} style={{ gridTemplateColumns: "minmax(0, 2fr) minmax(260px, 1fr)" }}>
          <Card title="Conditions">
            <Tabs current={conditionsTab} onChange={(t) => t !== conditionsTab && (t === "visual"
              ? leaveText(() => { setConditionsTab("visual"); setTextProblems(0); }) : setConditionsTab(t))}
              tabs={[{ value: "visual", label: "Visual" }, { value: "text", label: "Text" }]} />
            {leaving && conditionsTab === "text" && (
              <Box display="flex" flexDirection="column" gap={2} padding={3} borderRadius={4} borderStyle="solid" borderWidth={1}
                borderColor="critical1" role="alertdialog" aria-label="The text has problems" data-testid="text-leave-warning">
                <Text size={3} fontWeight="bold" color="critical1">
                  The text has {leaving.problems} problem{leaving.problems === 1 ? "" : "s"}: it was not taken over.
                </Text>
                <Text size={2}>
                  The visual builder still holds the last valid definition. Leaving now drops what you typed here.
                </Text>
                <Box display="flex" gap={2}>
                  <Button variant="secondary" onClick={() => setLeaving(null)}>Stay and fix the text</Button>
                  <Button variant="error" onClick={() => { const { go } = leaving; setLeaving(null); setTextProblems(0); go(); }}>
                    Leave and drop the text
                  </Button>
                </Box>
              </Box>
            )}
            {conditionsTab === "visual" && <>
              <Builder kinds={kinds.data} applyTo={form.applyTo} tree={tree} setTree={(t) => { setTree(t); setErrors([]); }} errors={nodeErrors} readOnly={false} scope="shopper" />
              <details>
                <summary style={{ cursor: "pointer", fontSize: 13 }}>JSON (read-only)</summary>
                <pre data-testid="conditions-json" style={{ fontSize: 12, overflowX: "auto" }}>{JSON.stringify(conditions, null, 2)}</pre>
              </details>
            </>}
            {conditionsTab === "text" && (
              <TextEditor tree={tree} applyTo={form.applyTo} setTree={(t) => { setTree(t); setErrors([]); }} onProblems={(n) => { setTextProblems(n); if (n === 0) setLeaving(null); }} handle={textHandle} />
            )}
          </Card>
          <Card title="Preview">
            <PreviewPanel preview={preview.data} loading={preview.loading} error={preview.error}
              conditionName={(path) => conditionAt(tree, kinds.data!, path).label} />
          </Card>
        </Box>
      )}
      {tab === "members" && segment && <Members segment={segment} />}
      {tab === "history" && segment && <History segment={segment} />}
      {tab === "trends" && segment && <SegmentTrends segment={segment} />}
      {tab === "explain" && segment && kinds.data && <Explain segment={segment} kinds={kinds.data} />}
      {tab === "log" && segment && <ActionLog objectType="SEGMENT" objectId={segment.id} version={`${segment.updatedAt}|${segment.lastRefreshedAt}`} />}
    </Page>
  );
}

function usePreview(conditions: object, channel: string, applyTo: string) {
  const text = JSON.stringify(conditions);
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 500);
    return () => clearTimeout(t);
  }, [text]);
  return useAsync(() => (channel ? gql<{ segmentPreview: Preview }>(PREVIEW, { conditions: debounced, channel, applyTo }).then((d) => d.segmentPreview) : Promise.resolve(undefined)), [debounced, channel, applyTo]);
}

function CostWarning({ cost, conditionName }: { cost: NonNullable<Preview["cost"]>; conditionName: (path: string) => string }) {
  const headline = costHeadline(cost);
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="cost">
      <Text size={2} color="default2">Planner's estimate: {estimateText(cost.estimatedRows)} shoppers (cost {Math.round(cost.estimatedCost).toLocaleString("en")})</Text>
      {headline && (
        <Box display="flex" flexDirection="column" gap={2} padding={3} borderRadius={3} backgroundColor="warning1" role="status" data-testid="cost-warning">
          <Text size={3} fontWeight="bold">{headline}</Text>
          {cost.expensive.map((w) => (
            <Box key={w.path} display="flex" flexDirection="column" data-path={w.path}>
              <Text size={2} fontWeight="medium">{conditionName(w.path)}</Text>
              <Text size={2}>{w.reason}</Text>
              <Text size={2} color="default2">{w.hint}</Text>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}

function PreviewPanel({ preview, loading, error, conditionName }: { preview?: Preview; loading: boolean; error?: Error; conditionName: (path: string) => string }) {
  if (error) return <Message tone="critical1">{error.message}</Message>;
  if (!preview) return <Message>{loading ? "Counting…" : "Choose a channel to preview."}</Message>;
  if (preview.errors.length) return <Message tone="critical1">Fix the marked conditions to see who matches.</Message>;
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="preview">
      <Text size={7} fontWeight="bold" data-testid="preview-size">{preview.size?.toLocaleString("en") ?? "—"}</Text>
      <Text size={2} color="default2">
        {preview.budgetExceeded ? "Counting took longer than its time budget: the number is not final." : `would match now (${preview.milliseconds} ms)`}
      </Text>
      {preview.sample.map((m) => <Text key={m.customerId} size={2}>{sampleLine(m)}</Text>)}
      {preview.cost && <CostWarning cost={preview.cost} conditionName={conditionName} />}
    </Box>
  );
}

function RefreshButton({ segment, onDone }: { segment: Segment; onDone: () => void }) {
  const bridge = useBridge();
  const [run, setRun] = useState<RefreshRun | null>(null);
  const timer = useRef<number>();
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const poll = (id: string) => {
    timer.current = window.setTimeout(async () => {
      const data = await gql<{ segmentRefreshRun: RefreshRun | null }>(REFRESH_RUN, { id });
      const next = data.segmentRefreshRun;
      setRun(next);
      if (next && (next.status === "RUNNING" || next.status === "COMMITTING")) poll(id);
      else {
        if (next?.status === "DONE") bridge.notify("success", "Segment refreshed", `${next.joined ?? 0} joined, ${next.left ?? 0} left`);
        else if (next) bridge.notify("error", "Refresh failed", next.error ?? next.status);
        onDone();
      }
    }, 700);
  };
  async function start() {
    const data = await gql<{ segmentRefresh: { errors: ApiErrors; refresh: RefreshRun | null } }>(SEGMENT_REFRESH, { id: segment.id });
    if (data.segmentRefresh.errors.length) {
      bridge.notify("error", "Refresh not started", data.segmentRefresh.errors.map((e) => e.message).join("; "));
      return;
    }
    setRun(data.segmentRefresh.refresh);
    if (data.segmentRefresh.refresh) poll(data.segmentRefresh.refresh.id);
  }
  const busy = run && (run.status === "RUNNING" || run.status === "COMMITTING");
  return (
    <Box display="flex" alignItems="center" gap={2}>
      {run && <Text size={2} color="default2" data-testid="refresh-progress">
        {run.status.toLowerCase()}: {run.partsDone}/{run.parts} parts{run.joined != null ? `, ${run.joined} joined, ${run.left ?? 0} left` : ""}
      </Text>}
      <Button variant="secondary" onClick={start} disabled={!!busy}>Refresh segment data</Button>
    </Box>
  );
}

function Explain({ segment, kinds }: { segment: Segment; kinds: ConditionKinds }) {
  const [customer, setCustomer] = useState("");
  const [result, setResult] = useState<Explanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tree = useMemo(() => load(JSON.parse(segment.conditions)), [segment.conditions]);
  const met = useMemo(() => {
    const byPath = new Map((result?.nodes ?? []).map((n) => [n.path, { met: n.met, value: n.value }]));
    const m = new Map<string, { met: boolean; value: string | null }>();
    for (const [nodeId, path] of nodePaths(tree)) if (byPath.has(path)) m.set(nodeId, byPath.get(path)!);
    return m;
  }, [result, tree]);
  async function run() {
    setError(null);
    const value = customer.trim();
    const globalId = /^\d+$/.test(value) ? btoa(`User:${value}`) : value;
    try {
      const data = await gql<{ segmentExplain: Explanation }>(EXPLAIN, { segment: segment.id, customer: globalId });
      setResult(data.segmentExplain);
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    }
  }
  return (
    <Card title="Why is this customer (not) a member?">
      <Box display="flex" gap={2} alignItems="flex-end">
        <TextInput label="Customer ID" value={customer} onChange={setCustomer} placeholder="e.g. 42 or a User ID" />
        <Button onClick={run}>Explain</Button>
      </Box>
      {error && <ErrorText>{error}</ErrorText>}
      {result && (
        <Box display="flex" flexDirection="column" gap={3}>
          <Text fontWeight="bold" data-testid="explain-verdict">
            {result.matches ? "Matches the conditions" : "Does not match the conditions"} · {result.isMember ? "is a member" : "is not a member"}
          </Text>
          <Builder kinds={kinds} applyTo={segment.applyTo} tree={tree} setTree={() => undefined} errors={new Map()} readOnly met={met} scope="shopper" />
        </Box>
      )}
    </Card>
  );
}
