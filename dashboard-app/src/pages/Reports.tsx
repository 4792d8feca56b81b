// Segment reports (Adobe's Customer Segment Report): segments of one channel combined as ANY
// (union) or ALL (intersection), less excluded ones; the count, the Matched Customers grid
// (paging, sort, search), export; and how the picked segments overlap (a heat map).
import { Box, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";
import { NoPermission } from "../App";
import { ExportButtons } from "../components/ExportButtons";
import { HeatMap } from "../components/HeatMap";
import { Card, Grid, Message, NativeSelect, Page, Pager } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import {
  OVERLAP, REPORT, REPORT_EXPORT, SEGMENTS,
  type ApiErrors, type Connection, type ExportFile, type Member, type OverlapCell, type ReportInput, type Segment,
} from "../lib/queries";
import { defaultChannel, describeReport, MAX_OVERLAP, overlapSelection, reportInput, type Mode, type Picks, type Role } from "../lib/report";
import { channels } from "../lib/saleor";
import { useAsync } from "../lib/useAsync";
import { MEMBER_COLUMNS, PAGE_SIZE, useMemberFilter, usePaging } from "./Members";

const ROLES = [{ value: "", label: "Not used" }, { value: "include", label: "Include" }, { value: "exclude", label: "Exclude" }];

function ModeChoice({ mode, onChange }: { mode: Mode; onChange: (mode: Mode) => void }) {
  const options: { value: Mode; label: string }[] = [
    { value: "ANY", label: "In ANY included segment (union)" },
    { value: "ALL", label: "In ALL included segments (intersection)" },
  ];
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", gap: 16, flexWrap: "wrap" }}>
      <legend style={{ fontSize: 12, marginBottom: 4 }}>Combine as</legend>
      {options.map((o) => (
        <label key={o.value} style={{ display: "flex", gap: 6, alignItems: "center", fontSize: 14 }}>
          <input type="radio" name="report-mode" value={o.value} checked={mode === o.value} onChange={() => onChange(o.value)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

function ReportResult({ input, description }: { input: ReportInput; description: string }) {
  const grid = useMemberFilter({ field: "CUSTOMER_ID", direction: "ASC" });
  const key = JSON.stringify(input);
  const paging = usePaging([key, ...grid.key]);
  const result = useAsync(() => gql<{ segmentReport: { count: number; members: Connection<Member> } }>(REPORT, {
    report: input, filter: grid.filter, sortBy: grid.sort, first: PAGE_SIZE, after: paging.after,
  }).then((d) => d.segmentReport), [key, ...grid.key, paging.after]);
  const report = result.data;
  const members = report?.members;
  return (
    <Card title="Customers in the report" actions={
      <ExportButtons what="report" disabled={!report} start={(fileFormat) => gql<{ segmentReportExport: { errors: ApiErrors; exportFile: ExportFile | null } }>(
        REPORT_EXPORT, { report: input, fileFormat, filter: grid.filter, sortBy: grid.sort }).then((d) => d.segmentReportExport)} />
    }>
      <Box display="flex" alignItems="baseline" gap={3}>
        <Text size={9} fontWeight="bold" data-testid="report-count" aria-live="polite">{report ? report.count.toLocaleString("en") : "…"}</Text>
        <Text color="default2" data-testid="report-description">{description}</Text>
      </Box>
      {grid.controls}
      {result.error && <Message tone="critical1">{result.error.message}</Message>}
      <Grid columns={MEMBER_COLUMNS} rows={members?.edges.map((e) => e.node) ?? []} rowKey={(m) => m.customerId} sort={grid.sort}
        onSort={grid.toggleSort} empty={result.loading ? "Loading…" : "No customer is in this combination."} />
      <Pager total={members?.totalCount} hasPrevious={paging.hasPrevious} hasNext={members?.pageInfo.hasNextPage ?? false}
        onPrevious={paging.previous} onNext={() => paging.next(members!.pageInfo.endCursor)} />
    </Card>
  );
}

function Overlap({ ids, dropped, nameOf }: { ids: string[]; dropped: number; nameOf: (id: string) => string }) {
  const key = ids.join(",");
  const result = useAsync(() => (ids.length ? gql<{ segmentOverlap: OverlapCell[] }>(OVERLAP, { segments: ids }).then((d) => d.segmentOverlap) : Promise.resolve([])), [key]);
  return (
    <Card title="Overlap of the picked segments">
      {dropped > 0 && <Message tone="critical1">The matrix compares at most {MAX_OVERLAP} segments: {dropped} left out.</Message>}
      {ids.length < 2 ? <Message>Pick two or more segments (included or excluded) to see how they overlap.</Message>
        : result.error ? <Message tone="critical1">{result.error.message}</Message>
        : !result.data || (result.loading && result.data.length === 0) ? <Message>Loading…</Message>
        : <HeatMap ids={ids} cells={result.data} nameOf={nameOf} />}
    </Card>
  );
}

export default function Reports() {
  const channelList = useAsync(() => channels(), []);
  // open on a channel that has segments (the first channel may have none)
  const segmentChannel = useAsync(() => gql<{ segments: Connection<Segment> }>(SEGMENTS, {
    sortBy: { field: "NAME", direction: "ASC" }, first: 1,
  }).then((d) => d.segments.edges[0]?.node.channel?.id ?? null), []);
  const [channel, setChannel] = useState("");
  const [picks, setPicks] = useState<Picks>({});
  const [mode, setMode] = useState<Mode>("ANY");
  useEffect(() => {
    if (!channel && channelList.data?.length && !segmentChannel.loading) {
      setChannel(defaultChannel(channelList.data, segmentChannel.data));
    }
  }, [channelList.data, segmentChannel.data, segmentChannel.loading]);
  useEffect(() => setPicks({}), [channel]);
  const segments = useAsync(() => (channel ? gql<{ segments: Connection<Segment> }>(SEGMENTS, {
    filter: { channels: [channel] }, sortBy: { field: "NAME", direction: "ASC" }, first: 100,
  }).then((d) => d.segments.edges.map((e) => e.node)) : Promise.resolve([])), [channel]);
  const list = segments.data ?? [];
  const order = useMemo(() => list.map((s) => s.id), [list]);
  const names = useMemo(() => new Map(list.map((s) => [s.id, s.name])), [list]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const built = reportInput(picks, mode, order);
  const overlap = overlapSelection(picks, order);

  if (segments.error instanceof PermissionError) return <NoPermission />;
  return (
    <Page title="Reports">
      <Card title="Segments to combine">
        <Box display="flex" gap={4} alignItems="flex-end" flexWrap="wrap">
          <NativeSelect label="Channel" value={channel} onChange={setChannel}
            options={(channelList.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
          <ModeChoice mode={mode} onChange={setMode} />
        </Box>
        {channelList.error && <Message tone="critical1">Channels could not be loaded: {channelList.error.message}</Message>}
        {segments.error && <Message tone="critical1">{segments.error.message}</Message>}
        <Grid columns={[
          { key: "name", label: "Segment", render: (s: Segment) => <Text fontWeight="medium">{s.name}</Text> },
          { key: "status", label: "Status", render: (s: Segment) => (s.status === "ACTIVE" ? "Active" : "Inactive") },
          { key: "members", label: "Members", render: (s: Segment) => s.memberCount.toLocaleString("en") },
          { key: "role", label: "In the report", width: 160, render: (s: Segment) => (
            <NativeSelect aria-label={`Role of ${s.name}`} value={picks[s.id] ?? ""} options={ROLES}
              onChange={(role) => setPicks((p) => ({ ...p, [s.id]: role as Role }))} />
          ) },
        ]} rows={list} rowKey={(s) => s.id}
          empty={segments.loading ? "Loading…" : "This channel has no segments yet."} />
      </Card>
      {"input" in built
        ? <ReportResult input={built.input} description={describeReport(built.input, nameOf)} />
        : <Card title="Customers in the report"><Message>{built.problem}</Message></Card>}
      <Overlap ids={overlap.ids} dropped={overlap.dropped} nameOf={nameOf} />
    </Page>
  );
}
