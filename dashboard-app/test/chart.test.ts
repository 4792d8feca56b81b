import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compact, flowBars, labelIndexes, lastDays, linear, linePath, niceTicks, type Box } from "../src/lib/chart";

const box: Box = { width: 760, height: 220, top: 12, right: 16, bottom: 28, left: 52 };

describe("niceTicks", () => {
  it("gives round steps covering the data", () => {
    expect(niceTicks(0, 100, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 1234, 4)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 3, 4, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(-7, 12, 4, true)).toEqual([-10, -5, 0, 5, 10, 15]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
    expect(niceTicks(5, 5, 4, true)[0]).toBe(0);
  });

  it("always covers [min, max] with evenly spaced ticks (whole numbers for counts)", () => {
    fc.assert(fc.property(fc.integer({ min: -1e7, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }), (a, span) => {
      const [lo, hi] = [a, a + span];
      const ticks = niceTicks(lo, hi, 4, true);
      expect(ticks[0]).toBeLessThanOrEqual(lo);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(hi);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(12);
      ticks.forEach((t) => expect(Number.isInteger(t)).toBe(true));
      const steps = new Set(ticks.slice(1).map((t, i) => t - ticks[i]!));
      expect(steps.size).toBe(1);
    }));
  });
});

describe("chart geometry", () => {
  it("maps values onto the plot area (up is more)", () => {
    const y = linear(0, 100, 192, 12);
    expect(y(0)).toBe(192);
    expect(y(100)).toBe(12);
    expect(y(50)).toBe(102);
    expect(linear(3, 3, 10, 20)(3)).toBe(10);
  });

  it("draws a line through the middle of each day's slot", () => {
    const { points, d } = linePath([0, 50, 100], box, [0, 50, 100]);
    expect(points).toEqual([[167.3, 192], [398, 102], [628.7, 12]]);
    expect(d).toBe("M167.3,192L398,102L628.7,12");
    expect(linePath([7], box, [0, 10]).points[0]![0]).toBe(398);
  });

  it("puts joins above and leaves below the zero line, heights proportional", () => {
    const ticks = [-10, 0, 10];
    const [first, second] = flowBars([10, 0], [0, 5], box, ticks);
    const zero = 102;
    expect(first!.joined).toEqual({ y: 12, height: zero - 12 });
    expect(first!.left.height).toBe(0);
    expect(second!.joined.height).toBe(0);
    expect(second!.left).toEqual({ y: zero, height: 45 });
    expect(second!.x).toBeGreaterThan(first!.x);
    // bars sit under the line's points: the same days line up in both charts
    const centres = linePath([1, 2], box, ticks).points.map(([x]) => x);
    expect([first!.x + first!.width / 2, second!.x + second!.width / 2]).toEqual(centres);
  });

  it("labels at most 8 days, always the first and the last", () => {
    expect(labelIndexes(5)).toEqual([0, 1, 2, 3, 4]);
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
      const picked = labelIndexes(n);
      expect(picked[0]).toBe(0);
      expect(picked[picked.length - 1]).toBe(n - 1);
      expect(picked.length).toBeLessThanOrEqual(8);
      expect([...picked].sort((a, b) => a - b)).toEqual(picked);
      expect(new Set(picked).size).toBe(picked.length);
    }));
  });

  it("writes compact axis numbers", () => {
    expect([compact(950), compact(12_345), compact(1_000_000), compact(-2500)]).toEqual(["950", "12.3k", "1M", "-2500"]);
  });

  it("asks for the last N days up to today (UTC), weeks for long periods", () => {
    const today = new Date("2026-11-24T06:30:00Z");
    expect(lastDays(7, today)).toEqual({ gte: "2026-11-18", lte: "2026-11-24", interval: "DAY" });
    expect(lastDays(365, today)).toEqual({ gte: "2025-11-25", lte: "2026-11-24", interval: "WEEK" });
  });
});
