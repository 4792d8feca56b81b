// The action log of one object (a segment): who created, changed, refreshed, activated,
// deactivated or deleted it, and when; a change opens to the fields before and after.
import { Box, Text, vars } from "@saleor/macaw-ui";
import { useState } from "react";
import { Card, formatDate, Message, NativeSelect, Pager } from "../components/ui";
import { ACTION_LABELS, actorText, changes, summary } from "../lib/adminlog";
import { gql } from "../lib/api";
import { ADMIN_EVENTS, type AdminEvent, type Connection } from "../lib/queries";
import { useAsync } from "../lib/useAsync";
import { PAGE_SIZE, usePaging } from "./Members";

function Change({ event }: { event: AdminEvent }) {
  const fields = changes(event).filter((c) => c.field !== "definition_version");
  if (event.action !== "UPDATED" || fields.length === 0) return null;
  return (
    <details>
      <summary style={{ cursor: "pointer", fontSize: 13 }}>Before and after</summary>
      <table style={{ borderCollapse: "collapse", fontSize: 12, marginTop: 6 }}>
        <thead><tr><th style={{ textAlign: "left", padding: 4 }}>Field</th><th style={{ textAlign: "left", padding: 4 }}>Before</th><th style={{ textAlign: "left", padding: 4 }}>After</th></tr></thead>
        <tbody>
          {fields.map((c) => (
            <tr key={c.field} data-field={c.field}>
              <td style={{ padding: 4, verticalAlign: "top" }}>{c.label}</td>
              <td style={{ padding: 4, verticalAlign: "top" }}><pre style={{ margin: 0, whiteSpace: "pre-wrap", maxWidth: 320 }}>{c.before}</pre></td>
              <td style={{ padding: 4, verticalAlign: "top" }}><pre style={{ margin: 0, whiteSpace: "pre-wrap", maxWidth: 320 }}>{c.after}</pre></td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function ActionLog({ objectType, objectId, version }: { objectType: string; objectId: string; version?: string }) {
  const [action, setAction] = useState("");
  const paging = usePaging([action]);
  const result = useAsync(() => gql<{ segmentAdminEvents: Connection<AdminEvent> }>(ADMIN_EVENTS, {
    objectType, objectId, action: action || null, first: PAGE_SIZE, after: paging.after,
  }), [objectType, objectId, version, action, paging.after]);
  const log = result.data?.segmentAdminEvents;
  const events = log?.edges.map((e) => e.node) ?? [];
  return (
    <Card title="Action log">
      <Box display="flex">
        <NativeSelect label="Action" value={action} onChange={setAction}
          options={[{ value: "", label: "Every action" }, ...Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))]} />
      </Box>
      {result.error && <Message tone="critical1">{result.error.message}</Message>}
      {events.length === 0 ? <Message>{result.loading ? "Loading…" : "No changes recorded."}</Message> : (
        <ol style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label="Action log entries">
          {events.map((e) => (
            <li key={e.id} data-testid="admin-event" data-action={e.action} style={{ padding: "10px 0", borderBottom: `1px solid ${vars.colors.border.default1}` }}>
              <Box display="flex" gap={3} alignItems="baseline" flexWrap="wrap">
                <Text size={2} color="default2" style={{ minWidth: 150 }}>{formatDate(e.at)}</Text>
                <Text fontWeight="medium">{summary(e)}</Text>
                <Text size={2} color="default2">by {actorText(e)}</Text>
              </Box>
              <Change event={e} />
            </li>
          ))}
        </ol>
      )}
      <Pager total={log?.totalCount} hasPrevious={paging.hasPrevious} hasNext={log?.pageInfo.hasNextPage ?? false}
        onPrevious={paging.previous} onNext={() => paging.next(log!.pageInfo.endCursor)} />
    </Card>
  );
}
