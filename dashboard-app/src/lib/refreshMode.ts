// How a segment was last refreshed, for merchants: the API's lastRefreshMode ("full: <why>" or
// "incremental: <n> shoppers", saleor_segments/membership/refresh.py) in words.

/** "incremental, 12 shoppers re-evaluated", "full (its definition changed)"; null without a mode. */
export function describeRefreshMode(mode: string | null | undefined): string | null {
  if (!mode) return null;
  const incremental = /^incremental:\s*(\d+)\s+shoppers?$/.exec(mode);
  if (incremental) {
    const n = Number(incremental[1]);
    return `incremental, ${n.toLocaleString("en")} shopper${n === 1 ? "" : "s"} re-evaluated`;
  }
  const full = /^full:\s*(.*)$/.exec(mode);
  if (full) return full[1]!.trim() ? `full (${full[1]!.trim()})` : "full";
  return mode;
}

/** "Last refresh: <date> — incremental, 12 shoppers re-evaluated" (``date`` already formatted;
 * null when never refreshed). */
export function lastRefreshText(date: string | null, mode: string | null | undefined): string {
  if (!date) return "Last refresh: never";
  const how = describeRefreshMode(mode);
  return how ? `Last refresh: ${date} — ${how}` : `Last refresh: ${date}`;
}
