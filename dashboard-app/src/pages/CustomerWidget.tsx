// CUSTOMER_DETAILS_WIDGETS: this customer's segments (joined when) and why (not) a member.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";
import { NoPermission } from "../App";
import { ErrorText, formatDate, NativeSelect } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import { EXPLAIN, type Explanation } from "../lib/queries";
import { useAsync } from "../lib/useAsync";

type Membership = { joinedAt: string; segment: { id: string; name: string } };

export default function CustomerWidget({ customerId }: { customerId: string | null }) {
  const bridge = useBridge();
  const ref = useRef<HTMLDivElement>(null);
  const mine = useAsync(() => (customerId ? gql<{ customerSegments: Membership[] }>(
    "query($c: ID!) { customerSegments(customerId: $c) { joinedAt segment { id name } } }", { c: customerId }).then((d) => d.customerSegments) : Promise.resolve([])), [customerId]);
  const all = useAsync(() => gql<{ segments: { edges: { node: { id: string; name: string; applyTo: string } }[] } }>(
    "query { segments(first: 100, sortBy: {field: NAME, direction: ASC}) { edges { node { id name applyTo } } } }").then((d) => d.segments.edges.map((e) => e.node)), []);
  const [segment, setSegment] = useState("");
  const [result, setResult] = useState<Explanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reported = useRef(0);
  useEffect(() => {
    const height = ref.current ? Math.max(120, ref.current.scrollHeight + 16) : 0;
    if (height && height !== reported.current) {
      reported.current = height;  // tell the Dashboard only when the height changes
      bridge.resize(height);
    }
  });
  if (!customerId) return <Box padding={4}><Text color="default2">Open a customer to see their segments.</Text></Box>;
  if (mine.error instanceof PermissionError) return <NoPermission />;
  async function explain() {
    setError(null);
    try {
      setResult((await gql<{ segmentExplain: Explanation }>(EXPLAIN, { segment, customer: customerId })).segmentExplain);
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    }
  }
  return (
    <Box ref={ref} padding={4} display="flex" flexDirection="column" gap={3}>
      <Text fontWeight="bold">Customer segments</Text>
      {mine.loading && <Text size={2} color="default2">Loading…</Text>}
      {mine.data?.length === 0 && <Text size={2} color="default2">Not in any segment.</Text>}
      {mine.data?.map((m) => (
        <Box key={m.segment.id} display="flex" justifyContent="space-between" gap={2} data-testid="customer-segment">
          <Text size={3}>{m.segment.name}</Text>
          <Text size={2} color="default2">since {formatDate(m.joinedAt)}</Text>
        </Box>
      ))}
      <Box display="flex" gap={2} alignItems="center">
        <NativeSelect aria-label="Segment to explain" value={segment} onChange={setSegment}
          options={[{ value: "", label: "Why (not) in…" }, ...(all.data ?? []).filter((s) => s.applyTo !== "VISITORS").map((s) => ({ value: s.id, label: s.name }))]} />
        <Button size="small" variant="secondary" disabled={!segment} onClick={explain}>Explain</Button>
      </Box>
      {error && <ErrorText>{error}</ErrorText>}
      {result && (
        <Box display="flex" flexDirection="column" gap={1} data-testid="widget-explain">
          <Text size={3} fontWeight="medium">{result.matches ? "Matches" : "Does not match"} · {result.isMember ? "member" : "not a member"}</Text>
          {result.nodes.filter((n) => n.path).map((n) => (
            <Text key={n.path} size={2} color={n.met ? "success1" : "critical1"}>
              {n.met ? "✓" : "✗"} {n.kind}{n.value ? ` (${n.value})` : ""}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
