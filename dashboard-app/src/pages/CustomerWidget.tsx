// CUSTOMER_DETAILS_WIDGETS: this customer's segments (joined when) and why (not) a member.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useRef, useState } from "react";
import { NoPermission } from "../App";
import { ErrorText, formatDate, NativeSelect } from "../components/ui";
import { KINDS_QUERY, type ConditionKinds } from "../builder/kinds";
import { nodeLabel, valueText } from "../builder/label";
import { load, nodePaths, type Node } from "../builder/tree";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import { EXPLAIN, type Explanation } from "../lib/queries";
import { useAsync } from "../lib/useAsync";

/** The compared value as words: the API gives it as JSON text (a row's value or each row's). */
function observed(value: string | null): string {
  if (value === null) return "";
  try {
    return valueText(JSON.parse(value));
  } catch {
    return value;
  }
}

type Membership = { joinedAt: string; segment: { id: string; name: string } };

export default function CustomerWidget({ customerId }: { customerId: string | null }) {
  const bridge = useBridge();
  const ref = useRef<HTMLDivElement>(null);
  const mine = useAsync(() => (customerId ? gql<{ customerSegments: Membership[] }>(
    "query($c: ID!) { customerSegments(customerId: $c) { joinedAt segment { id name } } }", { c: customerId }).then((d) => d.customerSegments) : Promise.resolve([])), [customerId]);
  const all = useAsync(() => gql<{ segments: { edges: { node: { id: string; name: string; applyTo: string } }[] } }>(
    "query { segments(first: 100, sortBy: {field: NAME, direction: ASC}) { edges { node { id name applyTo } } } }").then((d) => d.segments.edges.map((e) => e.node)), []);
  const [segment, setSegment] = useState("");
  const [result, setResult] = useState<(Explanation & { conditions: string; kinds: ConditionKinds }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reported = useRef(0);
  const labels = useMemo(() => {
    const byPath = new Map<string, string>();
    if (!result) return byPath;
    const tree = load(JSON.parse(result.conditions));
    const nodes = new Map<string, Node>();
    const walk = (children: Node[]) => children.forEach((n) => { nodes.set(n.id, n); if (n.group) walk(n.group.children); });
    walk(tree.root.children);
    for (const [id, path] of nodePaths(tree)) {
      const node = nodes.get(id);
      if (node) byPath.set(path, nodeLabel(result.kinds, node));
    }
    return byPath;
  }, [result]);
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
      // the segment's tree and the kinds, to name each node as the builder shows it
      const [explained, read, kinds] = await Promise.all([
        gql<{ segmentExplain: Explanation }>(EXPLAIN, { segment, customer: customerId }),
        gql<{ segment: { conditions: string } | null }>("query($id: ID!) { segment(id: $id) { conditions } }", { id: segment }),
        gql<{ segmentConditionKinds: ConditionKinds }>(KINDS_QUERY),
      ]);
      setResult({ ...explained.segmentExplain, conditions: read.segment?.conditions ?? "{}", kinds: kinds.segmentConditionKinds });
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    }
  }
  return (
    <Box ref={ref} padding={4} display="flex" flexDirection="column" gap={3}>
      {/* no heading: the Dashboard's card around the widget already shows the app's title */}
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
              {n.met ? "✓" : "✗"} {labels.get(n.path) ?? n.kind}{observed(n.value) ? ` (found: ${observed(n.value)})` : ""}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
