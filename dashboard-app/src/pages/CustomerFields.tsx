// "Customer fields for segments": Saleor's customer attributes and the metadata keys in use;
// declare one (type, label) for use in segment conditions, or withdraw it.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { NoPermission } from "../App";
import { Card, ErrorText, Grid, Message, NativeSelect, Page, TextInput, type Column } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import { useAsync } from "../lib/useAsync";

type FieldType = "STRING" | "NUMBER" | "DATE" | "BOOLEAN";
type CustomerField = {
  source: "ATTRIBUTE" | "METADATA" | "PRIVATE_METADATA"; key: string; name: string; inputType: string | null; customers: number;
  allowedTypes: FieldType[]; suggestedType: FieldType; declared: boolean; type: FieldType | null; label: string | null;
  choices: string[] | null; usedBySegments: { id: string; name: string }[];
};
type FieldError = { field: string | null; code: string; message: string | null; segments: string[] | null };
const FIELDS = `source key name inputType customers allowedTypes suggestedType declared type label choices usedBySegments { id name }`;
const SOURCE_LABELS = { ATTRIBUTE: "Customer attribute", METADATA: "Metadata", PRIVATE_METADATA: "Private metadata" };
const TYPE_LABELS: Record<FieldType, string> = { STRING: "Text", NUMBER: "Number", DATE: "Date", BOOLEAN: "Yes/No" };

export default function CustomerFields() {
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<CustomerField | null>(null);
  useEffect(() => {
    const t = setTimeout(() => setQuery(search), 300);
    return () => clearTimeout(t);
  }, [search]);
  const fields = useAsync(() => gql<{ segmentCustomerFields: CustomerField[] }>(
    `query($search: String) { segmentCustomerFields(search: $search) { ${FIELDS} } }`, { search: query || null }).then((d) => d.segmentCustomerFields), [query]);
  if (fields.error instanceof PermissionError) return <NoPermission />;
  const columns: Column<CustomerField>[] = [
    { key: "name", label: "Field", render: (f) => <Text fontWeight="medium">{f.name}</Text> },
    { key: "key", label: "Key", render: (f) => <code>{f.key}</code> },
    { key: "source", label: "Source", render: (f) => SOURCE_LABELS[f.source] },
    { key: "customers", label: "Customers with a value", render: (f) => f.customers.toLocaleString("en") },
    { key: "declared", label: "Use in segments", render: (f) => (f.declared ? `Yes: ${TYPE_LABELS[f.type!]}${f.label ? `, "${f.label}"` : ""}` : "No") },
    { key: "used", label: "Used by", render: (f) => f.usedBySegments.map((s) => s.name).join(", ") || "—" },
    { key: "edit", label: "", render: (f) => <Button size="small" variant="secondary" onClick={() => setEditing(f)}>{f.declared ? "Edit" : "Declare"}</Button> },
  ];
  return (
    <Page title="Customer fields for segments">
      <Text color="default2">
        Segment conditions can compare customer attributes and metadata keys once they are declared here with a type.
        A field that segments use cannot be withdrawn until those segments stop using it.
      </Text>
      {editing && <DeclareForm field={editing} onDone={() => { setEditing(null); fields.reload(); }} />}
      <Card>
        <TextInput label="Search" value={search} onChange={setSearch} placeholder="Name or key" />
        {fields.error && <Message tone="critical1">{fields.error.message}</Message>}
        <Grid columns={columns} rows={fields.data ?? []} rowKey={(f) => `${f.source}:${f.key}`}
          empty={fields.loading ? "Loading…" : "No customer attributes or metadata keys yet."} />
      </Card>
    </Page>
  );
}

function DeclareForm({ field, onDone }: { field: CustomerField; onDone: () => void }) {
  const bridge = useBridge();
  const [type, setType] = useState<FieldType>(field.type ?? field.suggestedType);
  const [label, setLabel] = useState(field.label ?? field.name);
  const [errors, setErrors] = useState<FieldError[]>([]);
  async function run(mutation: "declare" | "withdraw") {
    const doc = mutation === "declare"
      ? `mutation($input: SegmentCustomerFieldInput!) { r: segmentCustomerFieldDeclare(input: $input) { errors { field code message segments } customerField { ${FIELDS} } } }`
      : `mutation($source: SegmentCustomerFieldSource!, $key: String!) { r: segmentCustomerFieldWithdraw(source: $source, key: $key) { errors { field code message segments } customerField { key } } }`;
    const variables = mutation === "declare" ? { input: { source: field.source, key: field.key, type, label: label || null } } : { source: field.source, key: field.key };
    const data = await gql<{ r: { errors: FieldError[] } }>(doc, variables);
    setErrors(data.r.errors);
    if (!data.r.errors.length) {
      bridge.notify("success", mutation === "declare" ? `"${field.key}" can be used in segments` : `"${field.key}" withdrawn`);
      onDone();
    }
  }
  return (
    <Card title={`${field.declared ? "Edit" : "Declare"} "${field.name}" for segments`}>
      <Box display="flex" gap={3} alignItems="flex-end" flexWrap="wrap">
        <NativeSelect label="Type" value={type} onChange={(v) => setType(v as FieldType)}
          options={field.allowedTypes.map((t) => ({ value: t, label: TYPE_LABELS[t] }))} />
        <TextInput label="Label in the condition builder" value={label} onChange={setLabel} />
        <Button onClick={() => run("declare")}>{field.declared ? "Save" : "Use in segments"}</Button>
        {field.declared && <Button variant="error" onClick={() => run("withdraw")}>Withdraw</Button>}
        <Button variant="tertiary" onClick={onDone}>Cancel</Button>
      </Box>
      {errors.map((e, i) => <ErrorText key={i}>{e.message}</ErrorText>)}
    </Card>
  );
}
