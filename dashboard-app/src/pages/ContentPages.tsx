// Content blocks and related product rules: grid and editor, with their segments; rules use
// the same condition builder over products ("applies to" and "show").
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";
import { NoPermission } from "../App";
import { Builder } from "../builder/Builder";
import { KINDS_QUERY, type ConditionKinds } from "../builder/kinds";
import { errorsByNode, load, save, type Tree } from "../builder/tree";
import { Card, ConfirmButton, ErrorText, Grid, Message, NativeSelect, Page, TextInput, type Column } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import type { ApiErrors } from "../lib/queries";
import { channels } from "../lib/saleor";
import { useAsync } from "../lib/useAsync";

type Seg = { id: string; name: string };
type Block = { id: string; name: string; placement: string; content: string | null; pageId: string | null; priority: number; startsAt: string | null; endsAt: string | null; status: string; segments: Seg[] };
type Rule = { id: string; name: string; channelId: string; status: string; priority: number; appliesTo: string; show: string; limit: number; segments: Seg[] };
const BLOCK = "id name placement content pageId priority startsAt endsAt status segments { id name }";
const RULE = "id name channelId status priority appliesTo show limit segments { id name }";

function useSegments() {
  return useAsync(() => gql<{ segments: { edges: { node: Seg }[] } }>("query { segments(first: 100, sortBy: {field: NAME, direction: ASC}) { edges { node { id name } } } }")
    .then((d) => d.segments.edges.map((e) => e.node)), []);
}

function SegmentChoice({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const all = useSegments();
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <Text size={2} color="default2">Shown to members of (none: everyone)</Text>
      <Box display="flex" gap={3} flexWrap="wrap">
        {(all.data ?? []).map((s) => (
          <label key={s.id} style={{ display: "flex", gap: 4, alignItems: "center", fontSize: 14 }}>
            <input type="checkbox" checked={value.includes(s.id)} onChange={() => onChange(value.includes(s.id) ? value.filter((v) => v !== s.id) : [...value, s.id])} />
            {s.name}
          </label>
        ))}
      </Box>
    </Box>
  );
}

export default function ContentPages({ what }: { what: "blocks" | "rules" }) {
  const [editing, setEditing] = useState<Block | Rule | "new" | null>(null);
  const list = useAsync<(Block | Rule)[]>(() => (what === "blocks"
    ? gql<{ contentBlocks: Block[] }>(`query { contentBlocks { ${BLOCK} } }`).then((d) => d.contentBlocks)
    : gql<{ relatedProductRules: Rule[] }>(`query { relatedProductRules { ${RULE} } }`).then((d) => d.relatedProductRules)), [what]);
  if (list.error instanceof PermissionError) return <NoPermission />;
  const done = () => { setEditing(null); list.reload(); };
  if (editing) {
    return what === "blocks"
      ? <BlockEditor block={editing === "new" ? null : (editing as Block)} done={done} />
      : <RuleEditor rule={editing === "new" ? null : (editing as Rule)} done={done} />;
  }
  const common = [
    { key: "name", label: "Name", render: (r: Block | Rule) => <Text fontWeight="medium">{r.name}</Text> },
    { key: "status", label: "Status", render: (r: Block | Rule) => (r.status === "ACTIVE" ? "Active" : "Inactive") },
    { key: "priority", label: "Priority", render: (r: Block | Rule) => r.priority },
    { key: "segments", label: "Segments", render: (r: Block | Rule) => r.segments.map((s) => s.name).join(", ") || "Everyone" },
  ];
  const columns = (what === "blocks" ? [...common.slice(0, 1), { key: "placement", label: "Placement", render: (b: Block) => b.placement }, ...common.slice(1)]
    : [...common, { key: "limit", label: "Products shown", render: (r: Rule) => r.limit }]) as Column<Block | Rule>[];
  return (
    <Page title={what === "blocks" ? "Content blocks" : "Related product rules"} actions={<Button onClick={() => setEditing("new")}>Add</Button>}>
      <Card>
        {list.error && <Message tone="critical1">{list.error.message}</Message>}
        <Grid columns={columns} rows={list.data ?? []} rowKey={(r) => r.id} onRowClick={setEditing}
          empty={list.loading ? "Loading…" : what === "blocks" ? "No content blocks yet." : "No related product rules yet."} />
      </Card>
    </Page>
  );
}

function Errors({ errors }: { errors: ApiErrors }) {
  return <>{errors.filter((e) => !e.field?.includes("[")).map((e, i) => <ErrorText key={i}>{e.field ? `${e.field}: ` : ""}{e.message}</ErrorText>)}</>;
}

function BlockEditor({ block, done }: { block: Block | null; done: () => void }) {
  const bridge = useBridge();
  const [form, setForm] = useState({ name: block?.name ?? "", placement: block?.placement ?? "home", content: block?.content ?? "{\"html\": \"\"}",
    priority: String(block?.priority ?? 0), status: block?.status ?? "ACTIVE", startsAt: block?.startsAt?.slice(0, 16) ?? "", endsAt: block?.endsAt?.slice(0, 16) ?? "", segments: block?.segments.map((s) => s.id) ?? [] });
  const [errors, setErrors] = useState<ApiErrors>([]);
  async function submit() {
    const input = { name: form.name, placement: form.placement, content: form.content, priority: Number(form.priority) || 0, status: form.status,
      startsAt: form.startsAt ? new Date(form.startsAt).toISOString() : null, endsAt: form.endsAt ? new Date(form.endsAt).toISOString() : null, segments: form.segments };
    const data = block
      ? (await gql<{ r: { errors: ApiErrors } }>(`mutation($id: ID!, $input: ContentBlockInput!) { r: contentBlockUpdate(id: $id, input: $input) { errors { field code message } } }`, { id: block.id, input })).r
      : (await gql<{ r: { errors: ApiErrors } }>(`mutation($input: ContentBlockInput!) { r: contentBlockCreate(input: $input) { errors { field code message } } }`, { input })).r;
    setErrors(data.errors);
    if (!data.errors.length) { bridge.notify("success", "Content block saved"); done(); }
  }
  async function remove() {
    if (!block) return;
    await gql(`mutation($id: ID!) { contentBlockDelete(id: $id) { errors { message } } }`, { id: block.id });
    done();
  }
  return (
    <Page title={block ? block.name : "New content block"} back={done} actions={<>
      {block && <ConfirmButton label="Delete" confirm={`Delete "${block.name}"?`} onConfirm={remove} />}<Button onClick={submit}>Save</Button></>}>
      <Card>
        <Box display="flex" gap={3} flexWrap="wrap">
          <TextInput label="Name" value={form.name} onChange={(name) => setForm({ ...form, name })} />
          <TextInput label="Placement" value={form.placement} onChange={(placement) => setForm({ ...form, placement })} />
          <TextInput label="Priority" value={form.priority} onChange={(priority) => setForm({ ...form, priority })} style={{ width: 90 }} />
          <NativeSelect label="Status" value={form.status} onChange={(status) => setForm({ ...form, status })} options={[{ value: "ACTIVE", label: "Active" }, { value: "INACTIVE", label: "Inactive" }]} />
          <TextInput label="Starts" type="datetime-local" value={form.startsAt} onChange={(startsAt) => setForm({ ...form, startsAt })} />
          <TextInput label="Ends" type="datetime-local" value={form.endsAt} onChange={(endsAt) => setForm({ ...form, endsAt })} />
        </Box>
        <label style={{ display: "flex", flexDirection: "column", gap: 4 }}>
          <Text size={2} color="default2">Content (JSON the storefront renders)</Text>
          <textarea aria-label="Content" rows={5} value={form.content} onChange={(e) => setForm({ ...form, content: e.target.value })} style={{ fontFamily: "monospace", fontSize: 13, padding: 8, borderRadius: 8 }} />
        </label>
        <SegmentChoice value={form.segments} onChange={(segments) => setForm({ ...form, segments })} />
        <Errors errors={errors} />
      </Card>
    </Page>
  );
}

function RuleEditor({ rule, done }: { rule: Rule | null; done: () => void }) {
  const bridge = useBridge();
  const kinds = useAsync(() => gql<{ segmentConditionKinds: ConditionKinds }>(KINDS_QUERY).then((d) => d.segmentConditionKinds), []);
  const channelList = useAsync(() => channels().catch(() => []), []);
  const [form, setForm] = useState({ name: rule?.name ?? "", channel: rule?.channelId ?? "", status: rule?.status ?? "ACTIVE", priority: String(rule?.priority ?? 0),
    limit: String(rule?.limit ?? 4), segments: rule?.segments.map((s) => s.id) ?? [] });
  const [appliesTo, setAppliesTo] = useState<Tree>(() => load(rule ? JSON.parse(rule.appliesTo) : { conditions: [] }));
  const [show, setShow] = useState<Tree>(() => load(rule ? JSON.parse(rule.show) : { conditions: [] }));
  const [errors, setErrors] = useState<ApiErrors>([]);
  useEffect(() => {
    if (!form.channel && channelList.data?.length) setForm((f) => ({ ...f, channel: channelList.data![0]!.id }));
  }, [channelList.data]);
  const byTree = (prefix: string, tree: Tree) => errorsByNode(tree, errors.filter((e) => e.field?.startsWith(prefix)).map((e) => ({ ...e, field: e.field!.slice(prefix.length).replace(/^\./, "") || "conditions" })));
  const appliesErrors = useMemo(() => byTree("appliesTo", appliesTo), [errors, appliesTo]);
  const showErrors = useMemo(() => byTree("show", show), [errors, show]);
  if (kinds.error instanceof PermissionError) return <NoPermission />;
  if (!kinds.data) return <Page title="Related product rule" back={done}><Message>Loading…</Message></Page>;
  async function submit() {
    const input = { name: form.name, channel: form.channel || channelList.data?.[0]?.id, status: form.status, priority: Number(form.priority) || 0, limit: Number(form.limit) || 0,
      appliesTo: JSON.stringify(save(appliesTo)), show: JSON.stringify(save(show)), segments: form.segments };
    const data = rule
      ? (await gql<{ r: { errors: ApiErrors } }>(`mutation($id: ID!, $input: RelatedProductRuleInput!) { r: relatedProductRuleUpdate(id: $id, input: $input) { errors { field code message } } }`, { id: rule.id, input })).r
      : (await gql<{ r: { errors: ApiErrors } }>(`mutation($input: RelatedProductRuleInput!) { r: relatedProductRuleCreate(input: $input) { errors { field code message } } }`, { input })).r;
    setErrors(data.errors);
    if (!data.errors.length) { bridge.notify("success", "Rule saved"); done(); }
  }
  async function remove() {
    if (!rule) return;
    await gql(`mutation($id: ID!) { relatedProductRuleDelete(id: $id) { errors { message } } }`, { id: rule.id });
    done();
  }
  return (
    <Page title={rule ? rule.name : "New related product rule"} back={done} actions={<>
      {rule && <ConfirmButton label="Delete" confirm={`Delete "${rule.name}"?`} onConfirm={remove} />}<Button onClick={submit}>Save</Button></>}>
      <Card>
        <Box display="flex" gap={3} flexWrap="wrap">
          <TextInput label="Name" value={form.name} onChange={(name) => setForm({ ...form, name })} />
          <NativeSelect label="Channel" value={form.channel} onChange={(channel) => setForm({ ...form, channel })} options={(channelList.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
          <NativeSelect label="Status" value={form.status} onChange={(status) => setForm({ ...form, status })} options={[{ value: "ACTIVE", label: "Active" }, { value: "INACTIVE", label: "Inactive" }]} />
          <TextInput label="Priority" value={form.priority} onChange={(priority) => setForm({ ...form, priority })} style={{ width: 90 }} />
          <TextInput label="Products shown" value={form.limit} onChange={(limit) => setForm({ ...form, limit })} style={{ width: 90 }} />
        </Box>
        <SegmentChoice value={form.segments} onChange={(segments) => setForm({ ...form, segments })} />
        <Errors errors={errors} />
      </Card>
      <Card title="On the page of a product that matches">
        <Builder kinds={kinds.data} applyTo="VISITORS_AND_CUSTOMERS" tree={appliesTo} setTree={setAppliesTo} errors={appliesErrors} readOnly={false} scope="item" />
      </Card>
      <Card title="Show products that match">
        <Builder kinds={kinds.data} applyTo="VISITORS_AND_CUSTOMERS" tree={show} setTree={setShow} errors={showErrors} readOnly={false} scope="item" />
      </Card>
    </Page>
  );
}
