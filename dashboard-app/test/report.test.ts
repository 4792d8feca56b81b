import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultChannel, describeReport, MAX_OVERLAP, overlapSelection, reportInput, type Picks, type Role } from "../src/lib/report";

const order = ["A", "B", "C", "D"];
const names: Record<string, string> = { A: "VIP", B: "Women", C: "Churned", D: "New" };

describe("report input", () => {
  it("builds union, intersection and exclusions in the list's order", () => {
    expect(reportInput({ B: "include", A: "include" }, "ANY", order)).toEqual({ input: { segments: ["A", "B"], mode: "ANY", exclude: [] } });
    expect(reportInput({ A: "include", B: "include", C: "exclude", D: "" }, "ALL", order))
      .toEqual({ input: { segments: ["A", "B"], mode: "ALL", exclude: ["C"] } });
  });

  it("asks for an included segment", () => {
    expect(reportInput({}, "ANY", order)).toEqual({ problem: "Pick the segments to combine." });
    expect(reportInput({ C: "exclude" }, "ALL", order)).toHaveProperty("problem");
    expect(reportInput({ A: "" }, "ALL", order)).toHaveProperty("problem");
  });

  it("keeps every picked segment exactly once in the right list", () => {
    const role = fc.constantFrom<Role>("", "include", "exclude");
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...order), role), fc.constantFrom("ANY" as const, "ALL" as const), (picks: Picks, mode) => {
      const built = reportInput(picks, mode, order);
      const included = order.filter((id) => picks[id] === "include");
      if (included.length === 0) {
        expect("problem" in built).toBe(true);
        return;
      }
      if (!("input" in built)) throw new Error("no input");
      expect(built.input.segments).toEqual(included);
      expect(built.input.exclude).toEqual(order.filter((id) => picks[id] === "exclude"));
      expect(built.input.mode).toBe(mode);
    }));
  });

  it("says what it counts", () => {
    const say = (picks: Picks, mode: "ANY" | "ALL") => {
      const built = reportInput(picks, mode, order);
      return "input" in built ? describeReport(built.input, (id) => names[id]!) : built.problem;
    };
    expect(say({ A: "include" }, "ANY")).toBe("In “VIP”");
    expect(say({ A: "include", B: "include", D: "include" }, "ANY")).toBe("In any of “VIP”, “Women” or “New”");
    expect(say({ A: "include", B: "include", C: "exclude" }, "ALL")).toBe("In all of “VIP” and “Women”, but not in “Churned”");
    expect(say({ A: "include", C: "exclude", D: "exclude" }, "ALL")).toBe("In “VIP”, but not in “Churned” or “New”");
  });
});

describe("overlap selection", () => {
  it("compares every picked segment, at most 20", () => {
    expect(overlapSelection({ A: "include", C: "exclude", D: "" }, order)).toEqual({ ids: ["A", "C"], dropped: 0 });
    const many = Array.from({ length: 25 }, (_, i) => `S${i}`);
    const picks = Object.fromEntries(many.map((id) => [id, "include" as Role]));
    const chosen = overlapSelection(picks, many);
    expect(chosen.ids).toHaveLength(MAX_OVERLAP);
    expect(chosen.ids[0]).toBe("S0");
    expect(chosen.dropped).toBe(5);
  });
});

describe("the channel a report opens on", () => {
  const channels = [{ id: "Q2hhbm5lbDox" }, { id: "Q2hhbm5lbDoy" }];
  it.each([
    ["the channel that has segments", "Q2hhbm5lbDoy", "Q2hhbm5lbDoy"],
    ["the first channel when no segment exists", null, "Q2hhbm5lbDox"],
    ["the first channel when the segments' channel is not listed", "Q2hhbm5lbDo5", "Q2hhbm5lbDox"],
  ])("%s", (_case, withSegments, expected) => {
    expect(defaultChannel(channels, withSegments)).toBe(expected);
  });
  it("nothing when there is no channel", () => expect(defaultChannel([], "Q2hhbm5lbDox")).toBe(""));
});
