// The visual condition builder: nested "If ALL/ANY of these conditions are TRUE/FALSE" groups,
// every kind the API offers (segmentConditionKinds), errors at the node they point to.
import { Box, Button, Text, vars } from "@saleor/macaw-ui";
import { createContext, useContext, type ReactNode } from "react";
import { ErrorText, NativeSelect, TextInput } from "../components/ui";
import { attributeSlugs } from "../lib/saleor";
import { useAsync } from "../lib/useAsync";
import {
  addableKinds, declaredFor, describe, DECLARED_OPERATORS, emptyValue, fieldOf, newNode, OPERATOR_LABELS, shapeOf,
  waitingForDeclaredFields,
  type ConditionKinds, type Kind,
} from "./kinds";
import { addNode, removeNode, setGroup, setParams, type Group, type Json, type JsonObject, type Node, type NodeError, type Tree } from "./tree";
import { ValueEditor } from "./ValueEditor";

type Ctx = {
  kinds: ConditionKinds; applyTo: string; tree: Tree; setTree: (t: Tree) => void;
  errors: Map<string, NodeError[]>; readOnly: boolean; met?: Map<string, { met: boolean; value: string | null }>;
};
const BuilderContext = createContext<Ctx | null>(null);
const useCtx = () => useContext(BuilderContext)!;

export function Builder(props: Ctx & { scope: string }) {
  return (
    <BuilderContext.Provider value={props}>
      <fieldset disabled={props.readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <GroupView group={props.tree.root} scope={props.scope} depth={0} />
      </fieldset>
    </BuilderContext.Provider>
  );
}

function Errors({ id }: { id: string }) {
  const errors = useCtx().errors.get(id);
  if (!errors?.length) return null;
  return <Box display="flex" flexDirection="column">{errors.map((e, i) => <ErrorText key={i}>{e.key ? `${e.key}: ` : ""}{e.message}</ErrorText>)}</Box>;
}

function GroupView({ group, scope, depth, header }: { group: Group; scope: string; depth: number; header?: ReactNode }) {
  const { kinds, applyTo, tree, setTree, readOnly } = useCtx();
  const offered = addableKinds(kinds, scope, applyTo);
  const waiting = depth === 0 && !readOnly ? waitingForDeclaredFields(kinds, scope, applyTo) : [];
  const byGroup = kinds.groups.map((g) => ({ ...g, kinds: offered.filter((k) => k.group === g.code) })).filter((g) => g.kinds.length);
  const add = (value: string) => {
    if (!value) return;
    const kind = value === "group" ? "group" : offered.find((k) => k.kind === value);
    if (kind) setTree(addNode(tree, group.id, newNode(kinds, kind)));
  };
  return (
    <Box display="flex" flexDirection="column" gap={3} data-group={group.id}
      style={depth > 0 ? { borderLeft: `2px solid ${vars.colors.border.default1}`, paddingLeft: 16 } : undefined}>
      <Box display="flex" alignItems="center" gap={2} flexWrap="wrap">
        {header}
        <Text size={3}>If</Text>
        <NativeSelect aria-label="Aggregator" disabled={readOnly} value={group.aggregator === "any" ? "any" : "all"}
          onChange={(v) => setTree(setGroup(tree, group.id, { aggregator: v as "all" | "any" }))}
          options={[{ value: "all", label: "ALL" }, { value: "any", label: "ANY" }]} />
        <Text size={3}>of these conditions are</Text>
        <NativeSelect aria-label="Expected" disabled={readOnly} value={group.expected === false ? "false" : "true"}
          onChange={(v) => setTree(setGroup(tree, group.id, { expected: v === "true" }))}
          options={[{ value: "true", label: "TRUE" }, { value: "false", label: "FALSE" }]} />
        <Text size={3}>:</Text>
      </Box>
      {group.children.map((child) => <NodeView key={child.id} node={child} scope={scope} depth={depth} />)}
      {!readOnly && (
        <Box display="flex" gap={2} alignItems="center">
          <select aria-label="Add condition" value="" onChange={(e) => add(e.target.value)}
            style={{ height: 32, borderRadius: 8, padding: "0 8px", border: `1px dashed ${vars.colors.border.default1}`, background: "transparent", color: vars.colors.text.default1, font: "inherit", fontSize: 13 }}>
            <option value="">+ Add condition…</option>
            {byGroup.map((g) => (
              <optgroup key={g.code} label={g.label}>
                {g.kinds.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
              </optgroup>
            ))}
            <optgroup label="Logic"><option value="group">Condition group (ALL/ANY)</option></optgroup>
          </select>
          {waiting.length > 0 && (
            <Text size={2} color="default2" data-testid="declare-first">
              {waiting.map((k) => k.label).join(" and ")}: declare a field first in the "Customer fields for segments" tab.
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}

function NodeView({ node, scope, depth }: { node: Node; scope: string; depth: number }) {
  const { kinds, tree, setTree, readOnly, met } = useCtx();
  const kind = kinds.kinds.find((k) => k.kind === node.kind);
  const remove = !readOnly && (
    <Button variant="tertiary" size="small" aria-label="Remove condition" onClick={() => setTree(removeNode(tree, node.id))}>Remove</Button>
  );
  const state = met?.get(node.id);
  const mark = state === undefined ? null : (
    <Text size={2} color={state.met ? "success1" : "critical1"} data-testid="explain-mark">
      {state.met ? "✓ met" : "✗ not met"}{state.value != null ? ` (the customer's value: ${state.value})` : ""}
    </Text>
  );
  if (node.kind === "group" && node.group) {
    return (
      <Box data-node={node.id} display="flex" flexDirection="column" gap={2}>
        <GroupView group={node.group} scope={scope} depth={depth + 1} header={<>{mark}</>} />
        <Errors id={node.id} />
        <Box>{remove}</Box>
      </Box>
    );
  }
  return (
    <Box data-node={node.id} data-kind={node.kind} display="flex" flexDirection="column" gap={2} padding={3} borderRadius={4}
      borderStyle="solid" borderWidth={1} borderColor="default1" backgroundColor="default1">
      <Box display="flex" alignItems="center" gap={2} flexWrap="wrap">
        {mark}
        <Text size={3} fontWeight="medium">{kind?.label ?? (node.kind || "Unknown")}</Text>
        {kind ? <Params node={node} kind={kind} /> : <Text size={2} color="critical1">This kind is not known to this version of the app.</Text>}
        <Box marginLeft="auto">{remove}</Box>
      </Box>
      <Errors id={node.id} />
      {node.group && kind?.childrenScope && (
        <GroupView group={node.group} scope={kind.childrenScope} depth={depth + 1} />
      )}
    </Box>
  );
}

function Params({ node, kind }: { node: Node; kind: Kind }) {
  const { kinds, tree, setTree, readOnly, errors } = useCtx();
  const set = (changes: Record<string, Json | undefined>) => setTree(setParams(tree, node.id, changes));
  const p = node.params;
  const extra = describe(kind);
  const shape = shapeOf(kind);
  const hasError = (key: string) => (errors.get(node.id) ?? []).some((e) => e.key === key || e.key.startsWith(`${key}.`) || e.key.startsWith(`${key}[`));
  const parts: ReactNode[] = [];
  const str = (v: Json | undefined) => (v === undefined || v === null ? "" : String(v));

  if (Array.isArray(extra.addresses)) {
    parts.push(<NativeSelect key="address" aria-label="Address" disabled={readOnly} value={str(p.address)} onChange={(v) => set({ address: v })}
      options={(extra.addresses as string[]).map((a) => ({ value: a, label: a.replace(/_/g, " ") }))} />);
  }
  if (Array.isArray(extra.sources) || kind.kind === "order.products") {
    parts.push(<NativeSelect key="found" aria-label="Found" disabled={readOnly} value={p.found === false ? "false" : "true"} onChange={(v) => set({ found: v === "true" })}
      options={[{ value: "true", label: "found" }, { value: "false", label: "not found" }]} />);
  }
  if (Array.isArray(extra.sources)) {
    parts.push(<NativeSelect key="source" aria-label="Source" disabled={readOnly} value={str(p.source)} onChange={(v) => set({ source: v, ...(v === "cart" ? { period: undefined } : {}) })}
      options={(extra.sources as string[]).map((s) => ({ value: s, label: `in ${s}` }))} />);
  }
  let spec: { type: string; object: string | null; choices: string[] | null } | null = null;
  let operators: string[] = [];
  if (shape.type === "declared") {
    const fields = declaredFor(kinds, kind.kind);
    const current = `${shape.withSource ? `${str(p.source) || "metadata"}|` : ""}${str(p[shape.keyName])}`;
    parts.push(<NativeSelect key="declared" aria-label="Customer field" disabled={readOnly} value={current}
      onChange={(v) => {
        const f = fields.find((d) => `${shape.withSource ? `${d.source}|` : ""}${d.key}` === v);
        if (f) set({ [shape.keyName]: f.key, ...(shape.withSource ? { source: f.source } : {}), type: f.type, operator: "is", value: emptyValue(f.type, "is") });
      }}
      options={fields.map((f) => ({ value: `${shape.withSource ? `${f.source}|` : ""}${f.key}`, label: f.label || f.key }))} />);
    const declared = fields.find((f) => f.key === p[shape.keyName]);
    spec = { type: str(p.type) || "string", object: null, choices: declared?.choices ?? null };
    operators = DECLARED_OPERATORS[spec.type] ?? ["is"];
  } else if (shape.type === "field" || shape.type === "value") {
    if (shape.type === "field") {
      parts.push(<NativeSelect key="field" aria-label="Field" disabled={readOnly} value={str(p[shape.keyName])}
        onChange={(v) => {
          const f = kind.fields.find((x) => x.name === v)!;
          const operator = f.operators.some((o) => o.name === p.operator) ? str(p.operator) : f.operators[0]!.name;
          set({ [shape.keyName]: v, operator, value: emptyValue(f.type, operator) });
        }}
        options={kind.fields.map((f) => ({ value: f.name, label: f.name.replace(/_/g, " ") }))} />);
    }
    const field = fieldOf(kind, p);
    if (field) {
      spec = field;
      operators = field.operators.map((o) => o.name);
    }
  }
  if (kind.kind === "product.attribute") parts.push(<AttributeSlug key="attr" value={str(p.attribute)} onChange={(v) => set({ attribute: v })} error={hasError("attribute")} />);
  if (spec) {
    const operator = str(p.operator);
    parts.push(<NativeSelect key="operator" aria-label="Operator" disabled={readOnly} value={operator}
      onChange={(v) => set({ operator: v, value: emptyValue(spec!.type, v) })}
      options={operators.map((o) => ({ value: o, label: OPERATOR_LABELS[o] ?? o }))} />);
    parts.push(<ValueEditor key={`value-${operator}`} spec={spec} kinds={kinds} operator={operator} value={p.value} label="Value"
      error={hasError("value")} onChange={(value) => set({ value })} />);
  }
  if (kind.kind === "product.category") {
    parts.push(<label key="desc" style={{ display: "flex", gap: 4, alignItems: "center", fontSize: 13 }}>
      <input type="checkbox" disabled={readOnly} checked={p.include_descendants !== false} onChange={(e) => set({ include_descendants: e.target.checked })} /> and its subcategories
    </label>);
  }
  if (kind.kind === "orders" || (kind.kind === "products" && p.source !== "cart")) {
    parts.push(<Period key="period" value={p.period} onChange={(period) => set({ period })} error={hasError("period")} />);
  }
  return <>{parts}</>;
}

function Period({ value, onChange, error }: { value: Json | undefined; onChange: (v: Json | undefined) => void; error: boolean }) {
  const { readOnly } = useCtx();
  const period = (typeof value === "object" && value !== null && !Array.isArray(value) ? value : null) as JsonObject | null;
  const mode = !period ? "ever" : "last_days" in period ? "last" : "range";
  return (
    <Box display="flex" alignItems="center" gap={2}>
      <NativeSelect aria-label="Period" disabled={readOnly} value={mode} onChange={(m) => onChange(m === "ever" ? undefined : m === "last" ? { last_days: 30 } : { from: "", to: "" })}
        options={[{ value: "ever", label: "at any time" }, { value: "last", label: "in the last" }, { value: "range", label: "between" }]} />
      {mode === "last" && <><TextInput aria-label="Days" error={error} value={String(period!.last_days ?? "")} style={{ width: 80 }}
        onChange={(t) => onChange({ last_days: /^\d+$/.test(t) ? Number(t) : t })} /><Text size={2}>days</Text></>}
      {mode === "range" && <>
        <TextInput type="date" aria-label="From" error={error} value={String(period!.from ?? "")} onChange={(t) => onChange({ ...period!, from: t })} />
        <TextInput type="date" aria-label="To" error={error} value={String(period!.to ?? "")} onChange={(t) => onChange({ ...period!, to: t })} />
      </>}
    </Box>
  );
}

function AttributeSlug({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: boolean }) {
  const { readOnly } = useCtx();
  const options = useAsync(() => attributeSlugs("").catch(() => []), []);
  return (
    <>
      <TextInput aria-label="Attribute" disabled={readOnly} error={error} value={value} onChange={onChange} placeholder="attribute slug"
        list="segments-attributes" />
      <datalist id="segments-attributes">{(options.data ?? []).map((a) => <option key={a.slug} value={a.slug}>{a.name}</option>)}</datalist>
    </>
  );
}
