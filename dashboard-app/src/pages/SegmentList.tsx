// The segment grid: ID, name, status, channel, applies to, members, last refreshed; search,
// filters, sort, paging, bulk delete.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { NoPermission } from "../App";
import { Card, ConfirmButton, formatDate, Grid, Message, NativeSelect, Page, Pager, TextInput, type Column } from "../components/ui";
import { fromGlobalId, gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import { SEGMENT_BULK_DELETE, SEGMENTS, type ApiErrors, type Connection, type Segment } from "../lib/queries";
import { channels } from "../lib/saleor";
import { useAsync } from "../lib/useAsync";

const PAGE_SIZE = 20;
export const APPLY_TO_LABELS: Record<string, string> = {
  CUSTOMERS: "Customers", VISITORS: "Visitors", VISITORS_AND_CUSTOMERS: "Visitors and customers",
};

export function SegmentList({ open }: { open: (id: string | null) => void }) {
  const bridge = useBridge();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState("");
  const [applyTo, setApplyTo] = useState("");
  const [channel, setChannel] = useState("");
  const [sort, setSort] = useState<{ field: string; direction: "ASC" | "DESC" }>({ field: "UPDATED_AT", direction: "DESC" });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => {
    const t = setTimeout(() => setQuery(search), 300);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => setCursors([null]), [query, status, applyTo, channel, sort]);
  const after = cursors[cursors.length - 1] ?? null;
  const channelList = useAsync(() => channels().catch(() => []), []);
  const result = useAsync(() => gql<{ segments: Connection<Segment> }>(SEGMENTS, {
    filter: { search: query || null, status: status || null, applyTo: applyTo || null, channels: channel ? [channel] : null },
    sortBy: sort, first: PAGE_SIZE, after,
  }), [query, status, applyTo, channel, sort, after]);

  if (result.error instanceof PermissionError) return <NoPermission />;
  const segments = result.data?.segments;
  const rows = segments?.edges.map((e) => e.node) ?? [];

  async function bulkDelete() {
    const ids = [...selected];
    const data = await gql<{ segmentBulkDelete: { errors: ApiErrors; count: number } }>(SEGMENT_BULK_DELETE, { ids });
    const { errors, count } = data.segmentBulkDelete;
    if (errors.length) bridge.notify("error", "Segments not deleted", errors.map((e) => e.message).join("; "));
    else bridge.notify("success", `Deleted ${count} segment(s)`);
    setSelected(new Set());
    result.reload();
  }

  const columns: Column<Segment>[] = [
    { key: "id", label: "ID", render: (s) => fromGlobalId(s.id)?.pk ?? s.id, width: 60 },
    { key: "name", label: "Name", sort: "NAME", render: (s) => <Text fontWeight="medium">{s.name}</Text> },
    { key: "status", label: "Status", render: (s) => (s.status === "ACTIVE" ? "Active" : "Inactive") },
    { key: "channel", label: "Channel", render: (s) => s.channel.name ?? s.channel.slug },
    { key: "applyTo", label: "Applies to", render: (s) => APPLY_TO_LABELS[s.applyTo] ?? s.applyTo },
    { key: "members", label: "Members", render: (s) => s.memberCount.toLocaleString("en") },
    { key: "refreshed", label: "Last refreshed", sort: "UPDATED_AT", render: (s) => formatDate(s.lastRefreshedAt) },
  ];

  return (
    <Page title="Customer segments" actions={<>
      {selected.size > 0 && <ConfirmButton label={`Delete ${selected.size} selected`} onConfirm={bulkDelete}
        confirm={`Delete ${selected.size} segment(s)? This cannot be undone.`} />}
      <Button onClick={() => open(null)}>Add segment</Button>
    </>}>
      <Card>
        <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
          <TextInput label="Search" value={search} onChange={setSearch} placeholder="Name or description" />
          <NativeSelect label="Status" value={status} onChange={setStatus} options={[{ value: "", label: "Any status" }, { value: "ACTIVE", label: "Active" }, { value: "INACTIVE", label: "Inactive" }]} />
          <NativeSelect label="Applies to" value={applyTo} onChange={setApplyTo} options={[{ value: "", label: "Anyone" }, ...Object.entries(APPLY_TO_LABELS).map(([value, label]) => ({ value, label }))]} />
          <NativeSelect label="Channel" value={channel} onChange={setChannel} options={[{ value: "", label: "All channels" }, ...(channelList.data ?? []).map((c) => ({ value: c.id, label: c.name }))]} />
          <NativeSelect label="Sort by" value={`${sort.field}:${sort.direction}`} onChange={(v) => { const [field, direction] = v.split(":"); setSort({ field: field!, direction: direction as "ASC" | "DESC" }); }}
            options={[{ value: "UPDATED_AT:DESC", label: "Recently changed" }, { value: "NAME:ASC", label: "Name A–Z" }, { value: "NAME:DESC", label: "Name Z–A" }, { value: "CREATED_AT:DESC", label: "Newest" }, { value: "CREATED_AT:ASC", label: "Oldest" }]} />
        </Box>
        {result.error && <Message tone="critical1">{result.error.message}</Message>}
        <Grid columns={columns} rows={rows} rowKey={(s) => s.id} selected={selected} onSelect={setSelected} onRowClick={(s) => open(s.id)}
          sort={sort} onSort={(field) => setSort((s) => ({ field, direction: s.field === field && s.direction === "ASC" ? "DESC" : "ASC" }))}
          empty={result.loading ? "Loading…" : "No segments match. Add one to group your customers."} />
        <Pager total={segments?.totalCount} hasPrevious={cursors.length > 1} hasNext={segments?.pageInfo.hasNextPage ?? false}
          onPrevious={() => setCursors((c) => c.slice(0, -1))} onNext={() => setCursors((c) => [...c, segments!.pageInfo.endCursor])} />
      </Card>
    </Page>
  );
}
