// DISCOUNT/VOUCHER_DETAILS_MORE_ACTIONS popup "Limit to segments": pick segments, see the dry
// run (eligible customers and share), save.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { NoPermission } from "../App";
import { ErrorText, Message } from "../components/ui";
import { gql, PermissionError } from "../lib/api";
import { useBridge } from "../lib/bridge";
import type { ApiErrors } from "../lib/queries";
import { useAsync } from "../lib/useAsync";

type Target = { voucher?: string | null; promotion?: string | null };
type DryRun = { restricted: boolean; eligibleCustomers: number; customers: number; share: number };

export default function DiscountPopup({ target }: { target: Target }) {
  const bridge = useBridge();
  const isVoucher = "voucher" in target;
  const id = (isVoucher ? target.voucher : target.promotion) ?? null;
  const arg = isVoucher ? "voucher" : "promotion";
  const current = useAsync(() => (id ? gql<Record<string, { id: string }[] | null>>(
    `query($id: ID!) { s: ${isVoucher ? "voucherSegments(voucher: $id)" : "promotionSegments(promotion: $id)"} { id } }`, { id }).then((d) => d.s ?? []) : Promise.resolve([])), [id]);
  const all = useAsync(() => gql<{ segments: { edges: { node: { id: string; name: string; memberCount: number; status: string } }[] } }>(
    "query { segments(first: 100, sortBy: {field: NAME, direction: ASC}) { edges { node { id name memberCount status } } } }").then((d) => d.segments.edges.map((e) => e.node)), []);
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [errors, setErrors] = useState<ApiErrors>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (current.data && chosen === null) setChosen(new Set(current.data.map((s) => s.id)));
  }, [current.data]);
  // the dry run of what is ticked (not saved yet: `segments`), or of the saved limit
  const tickedKey = chosen ? [...chosen].sort().join(",") : null;
  const savedKey = current.data ? current.data.map((x) => x.id).sort().join(",") : null;
  const dryRun = useAsync(() => (id && tickedKey !== null ? gql<{ discountSegmentDryRun: DryRun }>(
    `query($id: ID, $segments: [ID!]) { discountSegmentDryRun(${arg}: $id, segments: $segments) { restricted eligibleCustomers customers share } }`,
    { id, segments: tickedKey ? tickedKey.split(",") : [] }).then((d) => d.discountSegmentDryRun) : Promise.resolve(null)), [id, tickedKey, savedKey]);
  useEffect(() => setDry(dryRun.data ?? null), [dryRun.data]);

  if (!id) return <Box padding={4}><Text color="default2">Open a {isVoucher ? "voucher" : "discount"} to limit it to segments.</Text></Box>;
  if (current.error instanceof PermissionError || all.error instanceof PermissionError) return <NoPermission what="limiting discounts to segments" />;

  const segments = all.data ?? [];
  const picked = chosen ?? new Set<string>();
  async function saveChoice() {
    setSaving(true);
    const mutation = isVoucher ? "voucherSegmentsSet(voucher: $id, segments: $segments)" : "promotionSegmentsSet(promotion: $id, segments: $segments)";
    try {
      const data = await gql<{ r: { errors: ApiErrors; restricted: boolean } }>(`mutation($id: ID!, $segments: [ID!]!) { r: ${mutation} { errors { field code message } restricted } }`, { id, segments: [...picked] });
      setErrors(data.r.errors);
      if (!data.r.errors.length) {
        bridge.notify("success", picked.size ? `Limited to ${picked.size} segment(s)` : "Open to every customer again");
        current.reload();
      }
    } finally {
      setSaving(false);
    }
  }
  return (
    <Box padding={5} display="flex" flexDirection="column" gap={4}>
      {/* no heading: the Dashboard's popup frame already shows "Limit to segments" */}
      <Text size={2} color="default2">Only members of the chosen segments can use this {isVoucher ? "voucher" : "discount"}. None chosen: everyone can.</Text>
      {all.loading && <Message>Loading…</Message>}
      {(current.error ?? dryRun.error ?? all.error) && <ErrorText>{(current.error ?? dryRun.error ?? all.error)!.message}</ErrorText>}
      <Box display="flex" flexDirection="column" gap={2}>
        {segments.map((s) => (
          <label key={s.id} style={{ display: "flex", gap: 8, alignItems: "center", fontSize: 14 }}>
            <input type="checkbox" checked={picked.has(s.id)} onChange={() => {
              const next = new Set(picked);
              if (next.has(s.id)) next.delete(s.id); else next.add(s.id);
              setChosen(next);
            }} />
            {s.name} <Text size={2} color="default2">({s.memberCount.toLocaleString("en")} members{s.status === "INACTIVE" ? ", inactive" : ""})</Text>
          </label>
        ))}
      </Box>
      {errors.map((e, i) => <ErrorText key={i}>{e.message}</ErrorText>)}
      <Box padding={3} borderRadius={4} backgroundColor="default2" data-testid="dry-run">
        {dry ? (
          <Text size={3}>
            {tickedKey === savedKey ? "Saved: " : "Not saved yet: "}
            {dry.restricted
              ? `${dry.eligibleCustomers.toLocaleString("en")} of ${dry.customers.toLocaleString("en")} customers are eligible (${(dry.share * 100).toFixed(1)}%).`
              : `no limit, all ${dry.customers.toLocaleString("en")} customers are eligible.`}
          </Text>
        ) : <Text size={2} color="default2">{dryRun.loading ? "Dry run…" : "No dry run."}</Text>}
      </Box>
      <Box display="flex" gap={2} justifyContent="flex-end">
        <Button variant="secondary" onClick={() => bridge.closePopup()}>Close</Button>
        <Button onClick={saveChoice} disabled={saving}>{saving ? "Saving…" : "Save"}</Button>
      </Box>
    </Box>
  );
}
