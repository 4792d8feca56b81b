import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heatColor, luminance, matrix, percentText, textOn } from "../src/lib/heat";

describe("heat map colour scale", () => {
  it("runs from pale (0 %) to deep (100 %), clamped", () => {
    expect(heatColor(0)).toEqual([239, 244, 255]);
    expect(heatColor(100)).toEqual([30, 64, 175]);
    expect(heatColor(-5)).toEqual(heatColor(0));
    expect(heatColor(250)).toEqual(heatColor(100));
    expect(heatColor(Number.NaN)).toEqual(heatColor(0));
  });

  it("gets darker as the share grows", () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(luminance(heatColor(hi))).toBeLessThanOrEqual(luminance(heatColor(lo)) + 1e-9);
    }));
  });

  it("keeps the numbers readable: black on pale cells, white on deep ones, contrast at least 4.5", () => {
    expect(textOn(heatColor(0))).toBe("#000");
    expect(textOn(heatColor(100))).toBe("#fff");
    for (let p = 0; p <= 100; p += 1) {
      const l = luminance(heatColor(p));
      const text = textOn(heatColor(p)) === "#000" ? 0 : 1;
      const ratio = (Math.max(l, text) + 0.05) / (Math.min(l, text) + 0.05);
      expect(ratio).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("overlap matrix", () => {
  it("lays the API's cells out as rows × columns in the picked order", () => {
    const cell = (a: string, b: string, shared: number) => ({ segmentId: a, otherSegmentId: b, shared, percent: 0, otherPercent: 0 });
    const grid = matrix(["X", "Y"], [cell("Y", "X", 2), cell("X", "X", 5), cell("X", "Y", 2), cell("Y", "Y", 3)]);
    expect(grid.map((row) => row.map((c) => c?.shared))).toEqual([[5, 2], [2, 3]]);
    expect(matrix(["X", "Z"], [cell("X", "X", 1)])[1]).toEqual([null, null]);
  });

  it("writes percentages with at most one decimal", () => {
    expect([percentText(33.33), percentText(100), percentText(0)]).toEqual(["33.3%", "100%", "0%"]);
  });
});
