// Small pieces shared by the pages, built from macaw-ui (the Dashboard's design system).
import { Box, Button, Text, vars } from "@saleor/macaw-ui";
import { useState, type CSSProperties, type ReactNode, type SelectHTMLAttributes } from "react";

export function Page({ title, actions, back, children }: { title: ReactNode; actions?: ReactNode; back?: () => void; children: ReactNode }) {
  return (
    <Box padding={6} display="flex" flexDirection="column" gap={5}>
      <Box display="flex" alignItems="center" justifyContent="space-between" gap={3}>
        <Box display="flex" alignItems="center" gap={3}>
          {back && <Button variant="tertiary" onClick={back} aria-label="Back">←</Button>}
          <Text as="h1" size={8} fontWeight="bold">{title}</Text>
        </Box>
        <Box display="flex" gap={2}>{actions}</Box>
      </Box>
      {children}
    </Box>
  );
}

export function Card({ title, children, actions }: { title?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <Box borderColor="default1" borderStyle="solid" borderWidth={1} borderRadius={4} padding={5} display="flex" flexDirection="column" gap={4} backgroundColor="default1">
      {(title || actions) && (
        <Box display="flex" justifyContent="space-between" alignItems="center">
          <Text size={6} fontWeight="bold">{title}</Text>
          <Box display="flex" gap={2}>{actions}</Box>
        </Box>
      )}
      {children}
    </Box>
  );
}

const control: CSSProperties = {
  height: 36, padding: "0 8px", borderRadius: 8, font: "inherit", fontSize: 14,
  border: `1px solid ${vars.colors.border.default1}`, background: vars.colors.background.default1,
  color: vars.colors.text.default1, minWidth: 120,
};

export type Option = { value: string; label: string };

export function NativeSelect({ options, value, onChange, label, ...rest }: Omit<SelectHTMLAttributes<HTMLSelectElement>, "onChange" | "value"> & {
  options: Option[]; value: string; onChange: (value: string) => void; label?: string;
}) {
  const select = (
    <select {...rest} aria-label={label ?? rest["aria-label"]} value={value} onChange={(e) => onChange(e.target.value)} style={{ ...control, ...rest.style }}>
      {!options.some((o) => o.value === value) && <option value={value}>{value || "—"}</option>}
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  );
  if (!label) return select;
  return (
    <label style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <Text size={2} color="default2">{label}</Text>
      {select}
    </label>
  );
}

export function TextInput({ value, onChange, label, type = "text", error, ...rest }: {
  value: string; onChange: (value: string) => void; label?: string; type?: string; error?: boolean;
  placeholder?: string; "aria-label"?: string; disabled?: boolean; style?: CSSProperties; "data-testid"?: string; list?: string;
}) {
  const input = (
    <input {...rest} type={type} value={value} aria-label={label ?? rest["aria-label"]} aria-invalid={error || undefined}
      onChange={(e) => onChange(e.target.value)}
      style={{ ...control, ...(error ? { borderColor: vars.colors.border.critical1 } : {}), ...rest.style }} />
  );
  if (!label) return input;
  return (
    <label style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <Text size={2} color="default2">{label}</Text>
      {input}
    </label>
  );
}

export function ErrorText({ children }: { children: ReactNode }) {
  return <Text size={2} color="critical1" role="alert" data-testid="node-error">{children}</Text>;
}

export function Tabs({ tabs, current, onChange }: { tabs: Option[]; current: string; onChange: (tab: string) => void }) {
  return (
    <Box display="flex" gap={1} borderBottomStyle="solid" borderBottomWidth={1} borderColor="default1" role="tablist">
      {tabs.map((t) => (
        <button key={t.value} role="tab" aria-selected={t.value === current} onClick={() => onChange(t.value)}
          style={{ border: 0, background: "transparent", padding: "10px 14px", cursor: "pointer", font: "inherit", fontSize: 14,
            color: t.value === current ? vars.colors.text.default1 : vars.colors.text.default2,
            borderBottom: t.value === current ? `2px solid ${vars.colors.border.accent1}` : "2px solid transparent", fontWeight: t.value === current ? 600 : 400 }}>
          {t.label}
        </button>
      ))}
    </Box>
  );
}

export type Column<T> = { key: string; label: string; render: (row: T) => ReactNode; sort?: string; width?: number };

export function Grid<T>({ columns, rows, rowKey, sort, onSort, selected, onSelect, onRowClick, empty = "Nothing here yet." }: {
  columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string;
  sort?: { field: string; direction: "ASC" | "DESC" }; onSort?: (field: string) => void;
  selected?: Set<string>; onSelect?: (keys: Set<string>) => void; onRowClick?: (row: T) => void; empty?: string;
}) {
  const cell: CSSProperties = { padding: "10px 12px", borderBottom: `1px solid ${vars.colors.border.default1}`, textAlign: "left", fontSize: 14 };
  const all = rows.length > 0 && rows.every((r) => selected?.has(rowKey(r)));
  return (
    <table style={{ width: "100%", borderCollapse: "collapse" }}>
      <thead>
        <tr>
          {onSelect && (
            <th style={{ ...cell, width: 32 }}>
              <input type="checkbox" aria-label="Select all" checked={all}
                onChange={() => onSelect(all ? new Set() : new Set(rows.map(rowKey)))} />
            </th>
          )}
          {columns.map((c) => (
            <th key={c.key} style={{ ...cell, color: vars.colors.text.default2, fontWeight: 500, width: c.width, cursor: c.sort ? "pointer" : "default" }}
              onClick={() => c.sort && onSort?.(c.sort)} aria-sort={sort && c.sort === sort.field ? (sort.direction === "ASC" ? "ascending" : "descending") : undefined}>
              {c.label}{sort && c.sort === sort.field ? (sort.direction === "ASC" ? " ↑" : " ↓") : ""}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr><td colSpan={columns.length + (onSelect ? 1 : 0)} style={{ ...cell, color: vars.colors.text.default2 }}>{empty}</td></tr>
        )}
        {rows.map((row) => {
          const key = rowKey(row);
          return (
            <tr key={key} data-row={key} style={{ cursor: onRowClick ? "pointer" : "default" }} onClick={() => onRowClick?.(row)}>
              {onSelect && (
                <td style={cell} onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" aria-label={`Select ${key}`} checked={selected?.has(key) ?? false}
                    onChange={() => {
                      const next = new Set(selected);
                      if (next.has(key)) next.delete(key); else next.add(key);
                      onSelect(next);
                    }} />
                </td>
              )}
              {columns.map((c) => <td key={c.key} style={cell}>{c.render(row)}</td>)}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function Pager({ hasPrevious, hasNext, onPrevious, onNext, total }: { hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void; total?: number | null }) {
  return (
    <Box display="flex" justifyContent="space-between" alignItems="center">
      <Text size={2} color="default2">{total != null ? `${total} in total` : ""}</Text>
      <Box display="flex" gap={2}>
        <Button variant="secondary" size="small" disabled={!hasPrevious} onClick={onPrevious}>Previous</Button>
        <Button variant="secondary" size="small" disabled={!hasNext} onClick={onNext}>Next</Button>
      </Box>
    </Box>
  );
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
}

export function Message({ children, tone = "default2" }: { children: ReactNode; tone?: "default2" | "critical1" | "success1" }) {
  return <Text size={3} color={tone}>{children}</Text>;
}

/** A destructive action asked twice, inside the page (the Dashboard's iframe sandbox may block
 * window.confirm). */
export function ConfirmButton({ label, confirm, onConfirm }: { label: string; confirm: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) return <Button variant="error" onClick={() => setAsking(true)}>{label}</Button>;
  return (
    <Box display="flex" gap={2} alignItems="center" role="alertdialog" aria-label={confirm}>
      <Text size={2}>{confirm}</Text>
      <Button variant="error" onClick={() => { setAsking(false); onConfirm(); }}>Yes, delete</Button>
      <Button variant="tertiary" onClick={() => setAsking(false)}>Cancel</Button>
    </Box>
  );
}
