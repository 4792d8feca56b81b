// Value pickers by value type: text, numbers, dates, booleans, countries, order statuses,
// customer types, segments, and Saleor objects searched in Saleor's API as the merchant types.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { NativeSelect, TextInput } from "../components/ui";
import { fromGlobalId, gql } from "../lib/api";
import { names, search, type Named } from "../lib/saleor";
import { useAsync } from "../lib/useAsync";
import type { ConditionKinds } from "./kinds";
import type { Json } from "./tree";

export type ValueSpec = { type: string; object: string | null; choices: string[] | null };
type Props = { spec: ValueSpec; kinds: ConditionKinds; value: Json | undefined; onChange: (value: Json) => void; error?: boolean; label: string };

function parseNumber(text: string): Json {
  return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
}

function choiceOptions(spec: ValueSpec, kinds: ConditionKinds): { value: string; label: string }[] | null {
  if (spec.type === "country") return kinds.countries.map((c) => ({ value: c.code, label: c.label }));
  if (spec.type === "order_status") {
    const labels = new Map(kinds.orderStatuses.map((c) => [c.code, c.label]));
    return (spec.choices ?? kinds.orderStatuses.map((c) => c.code)).map((code) => ({ value: code, label: labels.get(code) ?? code }));
  }
  if (spec.choices?.length) return spec.choices.map((c) => ({ value: c, label: c }));
  if (spec.type === "boolean") return [{ value: "true", label: "Yes" }, { value: "false", label: "No" }];
  return null;
}

function useSegmentOptions(wanted: boolean) {
  return useAsync(() => !wanted ? Promise.resolve([]) : gql<{ segments: { edges: { node: { id: string; name: string } }[] } }>(
    "query { segments(first: 100, sortBy: {field: NAME, direction: ASC}) { edges { node { id name } } } }",
  ).then((d) => d.segments.edges.map((e) => ({ value: String(fromGlobalId(e.node.id)?.pk ?? e.node.id), label: e.node.name }))), [wanted]);
}

/** One value of a type (no operator logic). */
export function ScalarEditor({ spec, kinds, value, onChange, error, label }: Props) {
  const segmentList = useSegmentOptions(spec.object === "Segment");
  const segments = spec.object === "Segment" ? segmentList : null;
  const options = choiceOptions(spec, kinds)
    ?? (spec.object === "CustomerType" ? kinds.customerTypes.map((c) => ({ value: String(fromGlobalId(c.code)?.pk ?? c.code), label: c.label })) : null)
    ?? (segments ? segments.data ?? [] : null);
  if (options) {
    const current = value === undefined || value === null ? "" : String(value);
    return <NativeSelect aria-label={label} value={current} options={[{ value: "", label: "Choose…" }, ...options]}
      onChange={(v) => onChange(spec.type === "boolean" ? v === "true" : spec.type === "id" ? parseNumber(v) : v)} />;
  }
  if (spec.type === "id" && spec.object) {
    return <ObjectPicker object={spec.object} value={typeof value === "number" ? value : null} onChange={onChange} label={label} error={error} />;
  }
  const text = value === undefined || value === null ? "" : String(value);
  if (spec.type === "date") return <TextInput type="date" aria-label={label} value={text} onChange={onChange} error={error} />;
  if (spec.type === "number" || spec.type === "integer") {
    return <TextInput aria-label={label} value={text} onChange={(t) => onChange(parseNumber(t))} error={error} style={{ width: 120 }} />;
  }
  return <TextInput aria-label={label} value={text} onChange={onChange} error={error} placeholder="Value" />;
}

/** The value of a comparison: its shape follows the operator. */
export function ValueEditor(props: Props & { operator: string }) {
  const { operator, value, onChange, label } = props;
  if (operator === "undefined") {
    return <NativeSelect aria-label={label} value={value === false ? "false" : "true"} onChange={(v) => onChange(v === "true")}
      options={[{ value: "true", label: "(no value)" }, { value: "false", label: "(any value)" }]} />;
  }
  if (operator === "in_last_days") {
    return <Box display="flex" alignItems="center" gap={2}>
      <TextInput aria-label={label} value={value == null ? "" : String(value)} onChange={(t) => onChange(parseNumber(t))} error={props.error} style={{ width: 90 }} />
      <Text size={2}>days</Text>
    </Box>;
  }
  if (operator === "between") {
    const pair = Array.isArray(value) ? value : [null, null];
    return <Box display="flex" alignItems="center" gap={2}>
      <ScalarEditor {...props} label={`${label} from`} value={pair[0]} onChange={(v) => onChange([v, pair[1] ?? null])} />
      <Text size={2}>and</Text>
      <ScalarEditor {...props} label={`${label} to`} value={pair[1]} onChange={(v) => onChange([pair[0] ?? null, v])} />
    </Box>;
  }
  if (operator === "in" || operator === "not_in") return <ListEditor {...props} />;
  return <ScalarEditor {...props} />;
}

function ListEditor(props: Props) {
  const items = Array.isArray(props.value) ? props.value : [];
  const [draft, setDraft] = useState<Json | undefined>(undefined);
  const [draftKey, setDraftKey] = useState(0);
  const nameOf = useNames(props.spec.object, items);
  const add = (v: Json | undefined) => {
    if (v === undefined || v === "" || v === null) return;
    props.onChange([...items, v]);
    setDraft(undefined);
    setDraftKey((k) => k + 1);
  };
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" gap={2}>
      {items.map((item, i) => (
        <Box key={i} display="flex" alignItems="center" gap={1} paddingX={2} borderRadius={4} backgroundColor="default2">
          <Text size={2}>{nameOf(item)}</Text>
          <Button variant="tertiary" size="small" aria-label={`Remove ${String(item)}`} onClick={() => props.onChange(items.filter((_, j) => j !== i))}>×</Button>
        </Box>
      ))}
      <ScalarEditor key={draftKey} {...props} label={`${props.label} (add)`} value={draft}
        onChange={(v) => (props.spec.type === "id" || choiceOptions(props.spec, props.kinds) ? add(v) : setDraft(v))} />
      {!(props.spec.type === "id" || choiceOptions(props.spec, props.kinds)) && <Button variant="secondary" size="small" onClick={() => add(draft)}>Add</Button>}
    </Box>
  );
}

function useNames(object: string | null, items: Json[]): (item: Json) => string {
  const pks = items.filter((i): i is number => typeof i === "number");
  const found = useAsync(() => (object ? names(object, pks).catch(() => new Map<number, string>()) : Promise.resolve(new Map<number, string>())), [object, pks.join(",")]);
  return (item) => (typeof item === "number" && found.data?.get(item)) || String(item);
}

/** Search Saleor's API for products, variants, categories, collections, product types. */
export function ObjectPicker({ object, value, onChange, label, error }: { object: string; value: number | null; onChange: (pk: Json) => void; label: string; error?: boolean }) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<Named[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const nameOf = useNames(object, value ? [value] : []);
  useEffect(() => {
    if (!open) return;
    const t = setTimeout(() => {
      search(object, text).then((r) => { setResults(r); setFailed(null); }, (e: Error) => setFailed(e.message));
    }, 250);
    return () => clearTimeout(t);
  }, [object, text, open]);
  return (
    <Box position="relative">
      <TextInput aria-label={label} error={error} placeholder={`Search ${object.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}s`}
        value={open ? text : value ? nameOf(value) : ""} onChange={(t) => { setText(t); setOpen(true); }} />
      {!open && <Button variant="tertiary" size="small" onClick={() => setOpen(true)}>Choose</Button>}
      {open && (
        <Box position="absolute" backgroundColor="default1" borderColor="default1" borderStyle="solid" borderWidth={1} borderRadius={3}
          padding={1} style={{ zIndex: 10, minWidth: 260, maxHeight: 240, overflowY: "auto" }} role="listbox" aria-label={`${label} options`}>
          {failed && <Text size={2} color="critical1">{failed}</Text>}
          {results.map((r) => (
            <Box key={r.id} as="button" role="option" display="block" width="100%" padding={2} borderWidth={0} backgroundColor={{ default: "default1", hover: "default1Hovered" }}
              style={{ textAlign: "left", cursor: "pointer" }} onClick={() => { onChange(fromGlobalId(r.id)?.pk ?? r.id); setOpen(false); setText(""); }}>
              <Text size={2}>{r.name}</Text>
            </Box>
          ))}
          {!failed && results.length === 0 && <Text size={2} color="default2">No matches</Text>}
          <Button variant="tertiary" size="small" onClick={() => setOpen(false)}>Close</Button>
        </Box>
      )}
    </Box>
  );
}
