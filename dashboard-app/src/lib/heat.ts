// The overlap heat map's colour scale: a share of 0..100 % from a pale to a deep blue, with
// text that stays readable on it.

export type Rgb = [number, number, number];
const PALE: Rgb = [239, 244, 255];
const DEEP: Rgb = [30, 64, 175];

/** The colour of a percentage (clamped to 0..100; not a number counts as 0). */
export function heatColor(percent: number): Rgb {
  const t = Number.isFinite(percent) ? Math.min(1, Math.max(0, percent / 100)) : 0;
  return PALE.map((p, i) => Math.round(p + (DEEP[i]! - p) * t)) as Rgb;
}

export function css([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** WCAG relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Black or white text, whichever contrasts more with the cell. */
export function textOn(color: Rgb): "#000" | "#fff" {
  const l = luminance(color);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff";
}

export type Cell = { segmentId: string; otherSegmentId: string; shared: number; percent: number; otherPercent: number };

/** The API's flat list of cells as rows × columns in the order of `ids` (missing pairs: null). */
export function matrix(ids: string[], cells: Cell[]): (Cell | null)[][] {
  const byPair = new Map(cells.map((c) => [`${c.segmentId}|${c.otherSegmentId}`, c]));
  return ids.map((row) => ids.map((col) => byPair.get(`${row}|${col}`) ?? null));
}

export function percentText(value: number): string {
  return `${Number(value.toFixed(1))}%`;
}
