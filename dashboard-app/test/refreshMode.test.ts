import { describe, expect, it } from "vitest";

import { describeRefreshMode, lastRefreshText } from "../src/lib/refreshMode";

describe("describeRefreshMode", () => {
  it.each([
    ["incremental: 12 shoppers", "incremental, 12 shoppers re-evaluated"],
    ["incremental: 1 shoppers", "incremental, 1 shopper re-evaluated"],
    ["incremental: 0 shoppers", "incremental, 0 shoppers re-evaluated"],
    ["incremental: 12345 shoppers", "incremental, 12,345 shoppers re-evaluated"],
    ["full: its definition changed", "full (its definition changed)"],
    ["full: split refresh (4 parts)", "full (split refresh (4 parts))"],
    ["full:", "full"],
    ["something new", "something new"],  // an unknown mode is shown as it is
  ])("%s -> %s", (mode, words) => {
    expect(describeRefreshMode(mode)).toBe(words);
  });
  it("says nothing without a mode", () => {
    for (const mode of ["", null, undefined]) expect(describeRefreshMode(mode)).toBeNull();
  });
});

describe("lastRefreshText", () => {
  const date = "24 Nov 2026, 09:30";
  it.each<[string | null, string | null, string]>([
    [date, "incremental: 12 shoppers", `Last refresh: ${date} — incremental, 12 shoppers re-evaluated`],
    [date, "full: its definition changed", `Last refresh: ${date} — full (its definition changed)`],
    [date, null, `Last refresh: ${date}`],  // refreshed before modes were stored
    [null, null, "Last refresh: never"],
  ])("%s, %s", (at, mode, text) => {
    expect(lastRefreshText(at, mode)).toBe(text);
  });
});
