// Scales of the plain SVG charts (segment size and joins/leaves over time).

/** Round tick values covering [min, max] (1, 2, 2.5 or 5 times a power of ten apart; whole
 * numbers only when `integer`, as counts of customers are). */
export function niceTicks(min: number, max: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    if (max === 0) return [0, 1];
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const nice = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const step = integer ? Math.max(1, nice === 2.5 ? 2 : Math.round(nice) === nice ? nice : Math.ceil(nice)) : nice;
  const ticks: number[] = [];
  for (let k = Math.floor(min / step); k <= Math.ceil(max / step); k++) ticks.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return ticks;
}

/** A linear map from the domain [d0, d1] to the range [r0, r1] (a flat domain maps to r0). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

export type Box = { width: number; height: number; top: number; right: number; bottom: number; left: number };

/** The centre of slot `i` of `count` evenly wide slots across the plot (points and bars of
 * both charts share it, so their days line up). */
export function slotCenter(i: number, count: number, box: Box): number {
  const slot = (box.width - box.left - box.right) / Math.max(1, count);
  return round(box.left + slot * (i + 0.5));
}

/** Points of a line chart of `values` (one per slot), y from the ticks' range; the SVG path. */
export function linePath(values: number[], box: Box, ticks: number[]): { points: [number, number][]; d: string } {
  const y = linear(ticks[0]!, ticks[ticks.length - 1]!, box.height - box.bottom, box.top);
  const points = values.map((v, i) => [slotCenter(i, values.length, box), round(y(v))] as [number, number]);
  return { points, d: points.map(([px, py], i) => `${i ? "L" : "M"}${px},${py}`).join("") };
}

/** Bars around a zero line: joins up, leaves down, one slot per point. */
export function flowBars(joined: number[], left: number[], box: Box, ticks: number[]) {
  const slot = (box.width - box.left - box.right) / Math.max(1, joined.length);
  const y = linear(ticks[0]!, ticks[ticks.length - 1]!, box.height - box.bottom, box.top);
  const zero = round(y(0));
  const width = round(Math.max(1, Math.min(24, slot * 0.7)));
  return joined.map((j, i) => {
    const x = round(slotCenter(i, joined.length, box) - width / 2);
    const up = round(y(j));
    const down = round(y(-(left[i] ?? 0)));
    return { x, width, joined: { y: up, height: round(zero - up) }, left: { y: zero, height: round(down - zero) } };
  });
}

/** Which points get an x label: at most `max`, evenly spread, always the first and the last. */
export function labelIndexes(length: number, max = 8): number[] {
  if (length <= 0) return [];
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const step = Math.ceil((length - 1) / (max - 1));
  const picked: number[] = [];
  for (let i = 0; i < length - 1; i += step) picked.push(i);
  if (length - 1 - picked[picked.length - 1]! < step / 2) picked.pop();
  return [...picked, length - 1];
}

/** A compact number for an axis: 950, 1.2k, 3.4M. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return String(value);
}

function trim(v: number): string {
  return Number(v.toFixed(1)).toString();
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

export type Period = { gte: string; lte: string; interval: "DAY" | "WEEK" };

/** The last `days` days up to `today` (UTC dates); weeks beyond 120 days. */
export function lastDays(days: number, today: Date): Period {
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { gte: start.toISOString().slice(0, 10), lte: end.toISOString().slice(0, 10), interval: days > 120 ? "WEEK" : "DAY" };
}
