// Plain SVG charts of a segment over time: its size (members at the end of each day or week)
// and the joins (up) and leaves (down) in each. Each chart has a text summary for screen
// readers and a table of the same numbers.
import { Box, Text, vars } from "@saleor/macaw-ui";
import { compact, flowBars, labelIndexes, linePath, linear, niceTicks, slotCenter, type Box as ChartBox } from "../lib/chart";
import type { SizePoint } from "../lib/queries";

const BOX: ChartBox = { width: 760, height: 220, top: 12, right: 16, bottom: 28, left: 52 };
const BLUE = "#3b5bdb";
const GREEN = "#2f9e44";
const RED = "#e03131";

export function dayLabel(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

function Axes({ ticks, points, absolute = false }: { ticks: number[]; points: SizePoint[]; absolute?: boolean }) {
  const y = linear(ticks[0]!, ticks[ticks.length - 1]!, BOX.height - BOX.bottom, BOX.top);
  return (
    <g fontSize={11} fill={vars.colors.text.default2}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={BOX.left} x2={BOX.width - BOX.right} y1={y(t)} y2={y(t)} stroke={vars.colors.border.default1} strokeDasharray={t === 0 ? undefined : "3 3"} />
          <text x={BOX.left - 6} y={y(t) + 4} textAnchor="end">{compact(absolute ? Math.abs(t) : t)}</text>
        </g>
      ))}
      {labelIndexes(points.length).map((i) => (
        <text key={i} x={slotCenter(i, points.length, BOX)} y={BOX.height - 8} textAnchor="middle">
          {dayLabel(points[i]!.start)}
        </text>
      ))}
    </g>
  );
}

export function SizeChart({ points }: { points: SizePoint[] }) {
  const values = points.map((p) => p.members);
  const ticks = niceTicks(0, Math.max(0, ...values), 4, true);
  const line = linePath(values, BOX, ticks);
  const baseline = BOX.height - BOX.bottom;
  const area = line.points.length ? `${line.d}L${line.points[line.points.length - 1]![0]},${baseline}L${line.points[0]![0]},${baseline}Z` : "";
  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  const summary = points.length
    ? `Members from ${dayLabel(points[0]!.start)} to ${dayLabel(points[points.length - 1]!.start)}: ${first.toLocaleString("en")} to ${last.toLocaleString("en")}, at most ${Math.max(...values).toLocaleString("en")}.`
    : "No data.";
  return (
    <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} width="100%" role="img" aria-label={summary} data-testid="size-chart" style={{ maxWidth: BOX.width }}>
      <title>{summary}</title>
      <Axes ticks={ticks} points={points} />
      <path d={area} fill={BLUE} fillOpacity={0.12} />
      <path d={line.d} fill="none" stroke={BLUE} strokeWidth={2} data-testid="size-line" />
      {points.length <= 60 && line.points.map(([px, py], i) => (
        <circle key={i} cx={px} cy={py} r={2.5} fill={BLUE} data-members={values[i]}>
          <title>{`${dayLabel(points[i]!.start)}: ${values[i]!.toLocaleString("en")} members`}</title>
        </circle>
      ))}
    </svg>
  );
}

export function FlowChart({ points }: { points: SizePoint[] }) {
  const joined = points.map((p) => p.joined);
  const left = points.map((p) => p.left);
  const ticks = niceTicks(-Math.max(0, ...left), Math.max(0, ...joined), 4, true);
  const bars = flowBars(joined, left, BOX, ticks);
  const totalJoined = joined.reduce((a, b) => a + b, 0);
  const totalLeft = left.reduce((a, b) => a + b, 0);
  const summary = `${totalJoined.toLocaleString("en")} joined and ${totalLeft.toLocaleString("en")} left in the period.`;
  return (
    <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} width="100%" role="img" aria-label={summary} data-testid="flow-chart" style={{ maxWidth: BOX.width }}>
      <title>{summary}</title>
      <Axes ticks={ticks} points={points} absolute />
      {bars.map((b, i) => (
        <g key={i}>
          <title>{`${dayLabel(points[i]!.start)}: ${joined[i]} joined, ${left[i]} left`}</title>
          {joined[i]! > 0 && <rect x={b.x} width={b.width} y={b.joined.y} height={Math.max(1, b.joined.height)} fill={GREEN} data-joined={joined[i]} />}
          {left[i]! > 0 && <rect x={b.x} width={b.width} y={b.left.y} height={Math.max(1, b.left.height)} fill={RED} data-left={left[i]} />}
        </g>
      ))}
    </svg>
  );
}

export function Legend({ items }: { items: { color: string; label: string }[] }) {
  return (
    <Box display="flex" gap={4}>
      {items.map((item) => (
        <Box key={item.label} display="flex" alignItems="center" gap={1}>
          <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, background: item.color, display: "inline-block" }} />
          <Text size={2} color="default2">{item.label}</Text>
        </Box>
      ))}
    </Box>
  );
}

export const COLORS = { members: BLUE, joined: GREEN, left: RED };
