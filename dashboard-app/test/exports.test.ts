import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  busy, describeExport, exportReducer, fileNameOf, IDLE, pollDelay, sameOriginLink, type ExportEvent, type ExportState,
} from "../src/lib/exports";
import type { ExportFile } from "../src/lib/queries";

const file = (over: Partial<ExportFile> = {}): ExportFile => ({
  id: "RXhwb3J0OjE=", fileFormat: "CSV", status: "PENDING", progress: 0, rowsWritten: 0, rowsTotal: null,
  message: null, url: null, expiresAt: "2026-11-25T00:00:00Z", ...over,
});
const run = (...events: ExportEvent[]) => events.reduce(exportReducer, IDLE);

describe("export state machine", () => {
  it("goes idle → starting → running → ready and stops polling at the link", () => {
    const starting = run({ type: "start", format: "CSV" });
    expect(starting).toEqual({ phase: "starting", format: "CSV" });
    expect(pollDelay(starting)).toBeNull();
    const running = exportReducer(starting, { type: "started", errors: [], file: file() });
    expect(running.phase).toBe("running");
    expect(pollDelay(running)).toBe(400);
    const halfway = exportReducer(running, { type: "polled", file: file({ progress: 50.6, rowsWritten: 506, rowsTotal: 1000 }) });
    expect(describeExport(halfway)).toBe("Exporting CSV… 50% (506 of 1,000 rows)");
    expect(pollDelay(halfway)).toBe(800);
    const ready = exportReducer(halfway, { type: "polled", file: file({ status: "SUCCESS", progress: 100, rowsWritten: 1000, rowsTotal: 1000, url: "http://x/exports/1/t" }) });
    expect(ready.phase).toBe("ready");
    expect(ready.phase === "ready" && ready.file.url).toBe("http://x/exports/1/t");
    expect(pollDelay(ready)).toBeNull();
    expect(describeExport(ready)).toBe("CSV file ready: 1,000 rows");
    expect(busy(ready)).toBe(false);
  });

  it("is ready at once when the task ran eagerly", () => {
    const state = run({ type: "start", format: "XLSX" }, { type: "started", errors: [], file: file({ status: "SUCCESS", url: "/f", rowsWritten: 3 }) });
    expect(state.phase).toBe("ready");
  });

  it("fails with the API's messages, the task's message, or expiry", () => {
    expect(run({ type: "start", format: "CSV" }, { type: "started", errors: [{ field: "segment", code: "not_found", message: "No such segment." }], file: null }))
      .toEqual({ phase: "failed", format: "CSV", message: "No such segment." });
    const failed = run({ type: "start", format: "CSV" }, { type: "started", errors: [], file: file() }, { type: "polled", file: file({ status: "FAILED", message: "Disk full." }) });
    expect(describeExport(failed)).toBe("Disk full.");
    const expired = run({ type: "start", format: "CSV" }, { type: "started", errors: [], file: file() }, { type: "polled", file: file({ status: "EXPIRED" }) });
    expect(expired.phase).toBe("failed");
    const gone = run({ type: "start", format: "CSV" }, { type: "started", errors: [], file: file() }, { type: "polled", file: null });
    expect(describeExport(gone)).toBe("The export is gone.");
    expect(run({ type: "start", format: "CSV" }, { type: "error", message: "Network down" })).toEqual({ phase: "failed", format: "CSV", message: "Network down" });
  });

  it("ignores a second start while one runs, stale answers, and answers after a reset", () => {
    const running = run({ type: "start", format: "CSV" }, { type: "started", errors: [], file: file() });
    expect(exportReducer(running, { type: "start", format: "XLSX" })).toBe(running);
    expect(exportReducer(running, { type: "polled", file: file({ id: "other", status: "SUCCESS", url: "/x" }) })).toBe(running);
    const reset = exportReducer(running, { type: "reset" });
    expect(exportReducer(reset, { type: "polled", file: file({ status: "SUCCESS", url: "/x" }) })).toEqual(IDLE);
    expect(exportReducer(reset, { type: "error", message: "late" })).toEqual(IDLE);
    // a finished export may be followed by another
    const ready = exportReducer(running, { type: "polled", file: file({ status: "SUCCESS", url: "/x" }) });
    expect(exportReducer(ready, { type: "start", format: "XLSX" })).toEqual({ phase: "starting", format: "XLSX" });
  });

  it("polls at most every 3 seconds however long it runs, and never when not running", () => {
    let state: ExportState = run({ type: "start", format: "CSV" }, { type: "started", errors: [], file: file() });
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      delays.push(pollDelay(state)!);
      state = exportReducer(state, { type: "polled", file: file({ progress: i * 10 }) });
    }
    expect(delays).toEqual([400, 800, 1600, 3000, 3000, 3000, 3000, 3000, 3000, 3000]);
  });

  it("never leaves a known phase, whatever the order of events", () => {
    const event = fc.oneof(
      fc.constantFrom<ExportEvent>({ type: "start", format: "CSV" }, { type: "reset" }, { type: "error", message: "x" },
        { type: "started", errors: [], file: null }),
      fc.record({ status: fc.constantFrom("PENDING", "SUCCESS", "FAILED", "EXPIRED"), url: fc.option(fc.constant("/u")) })
        .map(({ status, url }) => ({ type: "polled", file: file({ status: status as ExportFile["status"], url }) }) as ExportEvent),
      fc.constant<ExportEvent>({ type: "started", errors: [], file: file() }),
    );
    fc.assert(fc.property(fc.array(event, { maxLength: 30 }), (events) => {
      const state = events.reduce(exportReducer, IDLE);
      expect(["idle", "starting", "running", "ready", "failed"]).toContain(state.phase);
      expect(pollDelay(state) !== null).toBe(state.phase === "running");
      if (state.phase === "ready") expect(state.file.url).toBeTruthy();
    }));
  });
});

describe("download link", () => {
  it("is fetched from the app's own origin", () => {
    expect(sameOriginLink("http://internal:8000/plugins/global/saleor_segments/exports/4/abc", "https://shop.example.com"))
      .toBe("https://shop.example.com/plugins/global/saleor_segments/exports/4/abc");
    expect(sameOriginLink("/plugins/global/saleor_segments/exports/4/abc", "http://127.0.0.1:9"))
      .toBe("http://127.0.0.1:9/plugins/global/saleor_segments/exports/4/abc");
  });

  it("takes the file name from Content-Disposition", () => {
    expect(fileNameOf('attachment; filename="segment-3-members.csv"', "x.csv")).toBe("segment-3-members.csv");
    expect(fileNameOf("attachment; filename*=UTF-8''Zo%C3%AB.xlsx", "x.xlsx")).toBe("Zoë.xlsx");
    expect(fileNameOf(null, "report.csv")).toBe("report.csv");
    expect(fileNameOf("attachment", "report.csv")).toBe("report.csv");
  });
});
