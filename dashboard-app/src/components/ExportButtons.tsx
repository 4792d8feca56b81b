// Export to CSV / XLSX with progress: the mutation starts a Celery task, the export file's
// status is polled until the link is there; the link is fetched with the app's token (the
// plugin serves it to MANAGE_USERS only) and saved by the browser.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useReducer, useState } from "react";
import { currentToken, gql } from "../lib/api";
import { busy, describeExport, exportReducer, fileNameOf, IDLE, pollDelay, sameOriginLink } from "../lib/exports";
import { EXPORT_FILE, type ApiErrors, type ExportFile, type ExportFormat } from "../lib/queries";

export type StartExport = (format: ExportFormat) => Promise<{ errors: ApiErrors; exportFile: ExportFile | null }>;

async function download(url: string, fallback: string): Promise<void> {
  const token = currentToken();
  const response = await fetch(sameOriginLink(url, window.location.origin), {
    headers: token ? { "Authorization-Bearer": token, Authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.errors?.[0]?.message ?? `The download failed (HTTP ${response.status}).`);
  }
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(response.headers.get("Content-Disposition"), fallback);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

export function ExportButtons({ start, what, disabled }: { start: StartExport; what: string; disabled?: boolean }) {
  const [state, dispatch] = useReducer(exportReducer, IDLE);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);

  const delay = pollDelay(state);
  const fileId = state.phase === "running" ? state.file.id : null;
  const polls = state.phase === "running" ? state.polls : 0;
  useEffect(() => {
    if (delay == null || !fileId) return;
    let live = true;
    const timer = window.setTimeout(() => {
      gql<{ segmentExportFile: ExportFile | null }>(EXPORT_FILE, { id: fileId })
        .then((d) => live && dispatch({ type: "polled", file: d.segmentExportFile }))
        .catch((e: Error) => live && dispatch({ type: "error", message: e.message }));
    }, delay);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [fileId, polls, delay]);

  async function run(format: ExportFormat) {
    setDownloadError(null);
    dispatch({ type: "start", format });
    try {
      const { errors, exportFile } = await start(format);
      dispatch({ type: "started", errors, file: exportFile });
    } catch (e) {
      dispatch({ type: "error", message: (e as Error).message });
    }
  }

  async function save() {
    if (state.phase !== "ready") return;
    setDownloading(true);
    setDownloadError(null);
    try {
      await download(state.file.url, `${what}.${state.format.toLowerCase()}`);
    } catch (e) {
      setDownloadError((e as Error).message);
    } finally {
      setDownloading(false);
    }
  }

  const working = busy(state);
  const text = describeExport(state);
  const progress = state.phase === "running" ? Math.floor(state.file.progress) : state.phase === "ready" ? 100 : null;
  return (
    <Box display="flex" alignItems="center" gap={2} flexWrap="wrap" data-testid="export">
      {(["CSV", "XLSX"] as ExportFormat[]).map((format) => (
        <Button key={format} variant="secondary" size="small" disabled={disabled || working} onClick={() => run(format)}
          aria-label={`Export ${what} to ${format}`}>
          Export {format}
        </Button>
      ))}
      {progress != null && state.phase === "running" && (
        <progress max={100} value={progress} aria-label="Export progress" style={{ width: 90 }} />
      )}
      <Text size={2} color={state.phase === "failed" ? "critical1" : "default2"} role="status" aria-live="polite" data-testid="export-status">{text}</Text>
      {state.phase === "ready" && (
        <a href={sameOriginLink(state.file.url, window.location.origin)} data-testid="export-link"
          onClick={(e) => { e.preventDefault(); void save(); }}
          style={{ fontSize: 13, fontWeight: 600 }}>
          {downloading ? "Downloading…" : `Download ${state.format}`}
        </a>
      )}
      {downloadError && <Text size={2} color="critical1" role="alert">{downloadError}</Text>}
    </Box>
  );
}
