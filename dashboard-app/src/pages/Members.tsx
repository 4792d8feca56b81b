// Matched Customers (Adobe's columns, filters, sort, paging, a link to the customer's page in
// the Dashboard) and the membership history of a segment.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { ExportButtons } from "../components/ExportButtons";
import { Card, formatDate, Grid, Message, NativeSelect, Pager, TextInput, type Column } from "../components/ui";
import { fromGlobalId, gql } from "../lib/api";
import { useBridge } from "../lib/bridge";
import {
  HISTORY, MEMBERS, MEMBERS_EXPORT, type ApiErrors, type Connection, type ExportFile, type Member, type MembershipEvent, type Segment,
} from "../lib/queries";
import { useAsync } from "../lib/useAsync";

export const PAGE_SIZE = 20;

export function CustomerLink({ id, children }: { id: string; children: React.ReactNode }) {
  const bridge = useBridge();
  return (
    <Button variant="tertiary" size="small" onClick={(e) => { e.stopPropagation(); bridge.redirect(`/customers/${id}`); }}>{children}</Button>
  );
}

export function usePaging(deps: unknown[]) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), deps);
  return { after: cursors[cursors.length - 1] ?? null, hasPrevious: cursors.length > 1,
    previous: () => setCursors((c) => c.slice(0, -1)), next: (cursor: string | null) => setCursors((c) => [...c, cursor]) };
}

/** The Matched Customers columns (Adobe's), shared by the segment page and reports. */
export const MEMBER_COLUMNS: Column<Member>[] = [
  { key: "id", label: "ID", sort: "CUSTOMER_ID", render: (m) => <CustomerLink id={m.customerId}>{fromGlobalId(m.customerId)?.pk ?? m.customerId}</CustomerLink> },
  { key: "first", label: "First name", render: (m) => m.firstName ?? "" },
  { key: "last", label: "Last name", sort: "LAST_NAME", render: (m) => m.lastName ?? "" },
  { key: "email", label: "Email", sort: "EMAIL", render: (m) => m.email ?? "" },
  { key: "group", label: "Customer type", render: (m) => m.customerType ?? "" },
  { key: "phone", label: "Phone", render: (m) => m.phone ?? "" },
  { key: "zip", label: "ZIP", render: (m) => m.postalCode ?? "" },
  { key: "country", label: "Country", render: (m) => m.country ?? "" },
  { key: "state", label: "State/Province", render: (m) => m.countryArea ?? "" },
  { key: "since", label: "Customer since", sort: "CUSTOMER_SINCE", render: (m) => formatDate(m.customerSince) },
  { key: "joined", label: "Joined segment", sort: "JOINED_AT", render: (m) => formatDate(m.joinedAt) },
];

export type Sort = { field: string; direction: "ASC" | "DESC" };

/** The grid's search, country filter and sort (the export follows them). */
export function useMemberFilter(initial: Sort) {
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [country, setCountry] = useState("");
  const [sort, setSort] = useState<Sort>(initial);
  useEffect(() => {
    const t = setTimeout(() => setQuery(search), 300);
    return () => clearTimeout(t);
  }, [search]);
  const filter = { search: query || null, countries: country ? [country.toUpperCase()] : null };
  const toggleSort = (field: string) => setSort((s) => ({ field, direction: s.field === field && s.direction === "ASC" ? "DESC" : "ASC" }));
  const controls = (
    <Box display="flex" gap={3} alignItems="flex-end">
      <TextInput label="Search" value={search} onChange={setSearch} placeholder="Name or email" />
      <TextInput label="Country code" value={country} onChange={setCountry} placeholder="US" style={{ width: 90 }} />
    </Box>
  );
  return { filter, sort, toggleSort, controls, key: [query, country, sort] };
}

export function Members({ segment }: { segment: Segment }) {
  const grid = useMemberFilter({ field: "JOINED_AT", direction: "DESC" });
  const paging = usePaging(grid.key);
  const result = useAsync(() => gql<{ segmentMembers: Connection<Member> }>(MEMBERS, {
    segment: segment.id, filter: grid.filter, sortBy: grid.sort, first: PAGE_SIZE, after: paging.after,
  }), [segment.id, segment.lastRefreshedAt, ...grid.key, paging.after]);
  const members = result.data?.segmentMembers;
  return (
    <Card title={`Matched Customers (${members?.totalCount ?? segment.memberCount})`} actions={
      <ExportButtons what="matched customers" start={(fileFormat) => gql<{ segmentMembersExport: { errors: ApiErrors; exportFile: ExportFile | null } }>(
        MEMBERS_EXPORT, { segment: segment.id, fileFormat, filter: grid.filter, sortBy: grid.sort }).then((d) => d.segmentMembersExport)} />
    }>
      {grid.controls}
      {result.error && <Message tone="critical1">{result.error.message}</Message>}
      <Grid columns={MEMBER_COLUMNS} rows={members?.edges.map((e) => e.node) ?? []} rowKey={(m) => m.customerId} sort={grid.sort}
        onSort={grid.toggleSort}
        empty={result.loading ? "Loading…" : "No members. Refresh the segment data after changing its conditions."} />
      <Pager total={members?.totalCount} hasPrevious={paging.hasPrevious} hasNext={members?.pageInfo.hasNextPage ?? false}
        onPrevious={paging.previous} onNext={() => paging.next(members!.pageInfo.endCursor)} />
    </Card>
  );
}

export function History({ segment, customer }: { segment?: Segment; customer?: string }) {
  const [action, setAction] = useState("");
  const paging = usePaging([action]);
  const result = useAsync(() => gql<{ segmentMembershipHistory: Connection<MembershipEvent> }>(HISTORY, {
    segment: segment?.id ?? null, customer: customer ?? null, first: PAGE_SIZE, after: paging.after,
  }), [segment?.id, segment?.lastRefreshedAt, customer, paging.after]);
  const history = result.data?.segmentMembershipHistory;
  const rows = (history?.edges.map((e) => e.node) ?? []).filter((e) => !action || e.action === action);
  const columns: Column<MembershipEvent>[] = [
    { key: "at", label: "When", render: (e) => formatDate(e.at) },
    { key: "action", label: "", render: (e) => <Text color={e.action === "JOINED" ? "success1" : "critical1"}>{e.action === "JOINED" ? "Joined" : "Left"}</Text> },
    segment
      ? { key: "who", label: "Customer", render: (e) => (e.customerId ? <CustomerLink id={e.customerId}>{fromGlobalId(e.customerId)?.pk ?? e.customerId}</CustomerLink> : `visitor ${e.checkoutToken?.slice(0, 8) ?? ""}`) }
      : { key: "segment", label: "Segment", render: (e) => e.segment?.name ?? e.segmentId },
    { key: "reason", label: "Reason", render: (e) => e.reason },
    { key: "version", label: "Definition", render: (e) => `v${e.definitionVersion}` },
  ];
  return (
    <Card title="Membership history">
      <NativeSelect label="Show" value={action} onChange={setAction} options={[{ value: "", label: "Joined and left" }, { value: "JOINED", label: "Joined" }, { value: "LEFT", label: "Left" }]} />
      {result.error && <Message tone="critical1">{result.error.message}</Message>}
      <Grid columns={columns} rows={rows} rowKey={(e) => e.id} empty={result.loading ? "Loading…" : "Nobody joined or left yet."} />
      <Pager total={history?.totalCount} hasPrevious={paging.hasPrevious} hasNext={history?.pageInfo.hasNextPage ?? false}
        onPrevious={paging.previous} onNext={() => paging.next(history!.pageInfo.endCursor)} />
    </Card>
  );
}
