// An export's life as the app follows it: started by a mutation, polled through
// segmentExportFile(id) until the Celery task wrote the file (or failed, or the link expired),
// then downloaded with the app's token. Pure: the component feeds events, reads the state.
import type { ApiErrors, ExportFile, ExportFormat } from "./queries";

export type ExportState =
  | { phase: "idle" }
  | { phase: "starting"; format: ExportFormat }
  | { phase: "running"; format: ExportFormat; file: ExportFile; polls: number }
  | { phase: "ready"; format: ExportFormat; file: ExportFile & { url: string } }
  | { phase: "failed"; format: ExportFormat | null; message: string };

export type ExportEvent =
  | { type: "start"; format: ExportFormat }
  | { type: "started"; errors: ApiErrors; file: ExportFile | null }
  | { type: "polled"; file: ExportFile | null }
  | { type: "error"; message: string }
  | { type: "reset" };

export const IDLE: ExportState = { phase: "idle" };

function settle(format: ExportFormat, file: ExportFile, polls: number): ExportState {
  switch (file.status) {
    case "SUCCESS":
      return file.url ? { phase: "ready", format, file: { ...file, url: file.url } }
        : { phase: "failed", format, message: "The file was written but no link was given." };
    case "FAILED":
      return { phase: "failed", format, message: file.message || "The export failed." };
    case "EXPIRED":
      return { phase: "failed", format, message: "The export expired: start it again." };
    default:
      return { phase: "running", format, file, polls };
  }
}

export function exportReducer(state: ExportState, event: ExportEvent): ExportState {
  switch (event.type) {
    case "start":
      // one export at a time per button group: a click while one runs is ignored
      return state.phase === "starting" || state.phase === "running" ? state : { phase: "starting", format: event.format };
    case "started":
      if (state.phase !== "starting") return state;
      if (event.errors.length || !event.file) {
        return { phase: "failed", format: state.format, message: event.errors.map((e) => e.message).filter(Boolean).join("; ") || "The export was not started." };
      }
      return settle(state.format, event.file, 0);
    case "polled":
      if (state.phase !== "running") return state;
      if (!event.file) return { phase: "failed", format: state.format, message: "The export is gone." };
      if (event.file.id !== state.file.id) return state; // an answer about an earlier export
      return settle(state.format, event.file, state.polls + 1);
    case "error":
      return state.phase === "starting" || state.phase === "running"
        ? { phase: "failed", format: state.format, message: event.message } : state;
    case "reset":
      return IDLE;
  }
}

/** Milliseconds until the next poll, or null when nothing is to be polled: quick at first, then
 * every 3 s (a million-row XLSX takes minutes). */
export function pollDelay(state: ExportState): number | null {
  if (state.phase !== "running") return null;
  return Math.min(3000, 400 * 2 ** Math.min(state.polls, 3));
}

export function busy(state: ExportState): boolean {
  return state.phase === "starting" || state.phase === "running";
}

/** What the merchant reads next to the buttons. */
export function describeExport(state: ExportState): string {
  switch (state.phase) {
    case "idle":
      return "";
    case "starting":
      return `Starting the ${state.format} export…`;
    case "running": {
      const { progress, rowsWritten, rowsTotal } = state.file;
      const rows = rowsTotal != null ? ` (${rowsWritten.toLocaleString("en")} of ${rowsTotal.toLocaleString("en")} rows)` : "";
      return `Exporting ${state.format}… ${Math.floor(progress)}%${rows}`;
    }
    case "ready":
      return `${state.format} file ready: ${state.file.rowsWritten.toLocaleString("en")} rows`;
    case "failed":
      return state.message;
  }
}

/** The link as a path on the app's own origin: the plugin serves both the app and the file,
 * and an absolute link built behind a proxy may name another scheme or host. */
export function sameOriginLink(url: string, origin: string): string {
  try {
    const parsed = new URL(url, origin);
    return `${origin}${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/** The file name of a Content-Disposition header (RFC 6266 filename* first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ""));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : fallback;
}
