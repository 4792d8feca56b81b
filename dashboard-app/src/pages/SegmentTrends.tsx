// A segment over time: members per day (or week) and the joins and leaves in each, read from
// the join/leave log (segmentSizeHistory).
import { Box, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { COLORS, dayLabel, FlowChart, Legend, SizeChart } from "../components/Charts";
import { Card, Grid, Message, NativeSelect } from "../components/ui";
import { gql } from "../lib/api";
import { lastDays } from "../lib/chart";
import { SIZE_HISTORY, type Segment, type SizePoint } from "../lib/queries";
import { useAsync } from "../lib/useAsync";

const PERIODS = [
  { value: "7", label: "Last 7 days" }, { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" }, { value: "365", label: "Last 365 days" },
];

export function SegmentTrends({ segment }: { segment: Segment }) {
  const [days, setDays] = useState("30");
  const [chosenStep, chooseStep] = useState("");
  const period = useMemo(() => lastDays(Number(days), new Date()), [days]);
  const step = (chosenStep || period.interval) as "DAY" | "WEEK";
  const result = useAsync(() => gql<{ segmentSizeHistory: SizePoint[] }>(SIZE_HISTORY, {
    segment: segment.id, period: { gte: period.gte, lte: period.lte }, interval: step,
  }).then((d) => d.segmentSizeHistory), [segment.id, segment.lastRefreshedAt, period.gte, period.lte, step]);
  const points = result.data ?? [];
  const moved = points.some((p) => p.joined || p.left);
  const unit = step === "WEEK" ? "week" : "day";

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box display="flex" gap={3} alignItems="flex-end">
        <NativeSelect label="Period" value={days} onChange={setDays} options={PERIODS} />
        <NativeSelect label="Per" value={chosenStep || period.interval} onChange={chooseStep}
          options={[{ value: "DAY", label: "Day" }, { value: "WEEK", label: "Week" }]} />
      </Box>
      {result.error && <Message tone="critical1">{result.error.message}</Message>}
      <Card title={`Members per ${unit}`}>
        {result.loading && !result.data ? <Message>Loading…</Message>
          : points.length === 0 ? <Message>No data for this period.</Message>
          : <>
              <Legend items={[{ color: COLORS.members, label: `Members at the end of each ${unit}` }]} />
              <SizeChart points={points} />
            </>}
      </Card>
      <Card title={`Joins and leaves per ${unit}`}>
        {result.loading && !result.data ? <Message>Loading…</Message>
          : !moved ? <Message>Nobody joined or left in this period.</Message>
          : <>
              <Legend items={[{ color: COLORS.joined, label: "Joined" }, { color: COLORS.left, label: "Left" }]} />
              <FlowChart points={points} />
            </>}
        {points.length > 0 && (
          <details>
            <summary style={{ cursor: "pointer", fontSize: 13 }}>Show the numbers</summary>
            <Grid columns={[
              { key: "start", label: step === "WEEK" ? "Week from" : "Day", render: (p: SizePoint) => dayLabel(p.start) },
              { key: "members", label: "Members", render: (p: SizePoint) => p.members.toLocaleString("en") },
              { key: "joined", label: "Joined", render: (p: SizePoint) => <Text color="success1">{p.joined.toLocaleString("en")}</Text> },
              { key: "left", label: "Left", render: (p: SizePoint) => <Text color="critical1">{p.left.toLocaleString("en")}</Text> },
            ]} rows={[...points].reverse()} rowKey={(p) => p.start} />
          </details>
        )}
      </Card>
    </Box>
  );
}
