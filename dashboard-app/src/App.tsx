import { Box, Text, useTheme } from "@saleor/macaw-ui";
import { lazy, Suspense, useEffect, useState } from "react";
import { Tabs } from "./components/ui";
import { useBridge } from "./lib/bridge";
import { pathOf, routeOf } from "./lib/route";
import { SegmentList } from "./pages/SegmentList";

const SegmentEditor = lazy(() => import("./pages/SegmentEditor"));
const CustomerFields = lazy(() => import("./pages/CustomerFields"));
const ContentPages = lazy(() => import("./pages/ContentPages"));
const CustomerWidget = lazy(() => import("./pages/CustomerWidget"));
const DiscountPopup = lazy(() => import("./pages/DiscountPopup"));
const Reports = lazy(() => import("./pages/Reports"));
const MembershipEvents = lazy(() => import("./pages/MembershipEvents"));

const MANAGE_USERS = "MANAGE_USERS";

export function NoPermission({ what = "customer segments" }: { what?: string }) {
  return (
    <Box padding={8} display="flex" flexDirection="column" gap={3} data-testid="no-permission">
      <Text size={8} fontWeight="bold">You don't have access to {what}</Text>
      <Text color="default2">
        This page needs the MANAGE_USERS permission ("Manage customers"). Ask a staff member who manages
        permissions in Configuration → Staff Members to add it to one of your permission groups.
      </Text>
    </Box>
  );
}

function Waiting() {
  return <Box padding={8}><Text color="default2">Connecting to the Dashboard…</Text></Box>;
}

export type Nav = { view: "segments" } | { view: "segment"; id: string | null } | { view: "reports" } | { view: "events" } | { view: "fields" } | { view: "blocks" } | { view: "rules" };

export function App() {
  const bridge = useBridge();
  const { setTheme } = useTheme();
  useEffect(() => setTheme(bridge.theme === "dark" ? "defaultDark" : "defaultLight"), [bridge.theme]);
  const route = routeOf(window.location.pathname, window.location.search);
  const [nav, go] = useState<Nav>(() => (route.page === "home" && route.segment ? { view: "segment", id: route.segment }
    : route.page === "home" && route.reports ? { view: "reports" } : route.page === "home" && route.events ? { view: "events" } : { view: "segments" }));
  const setNav = (next: Nav) => {
    go(next);
    bridge.route(pathOf(next));
  };
  if (!bridge.ready) return <Waiting />;
  if (!bridge.permissions.includes(MANAGE_USERS)) return <NoPermission />;
  return (
    <Box backgroundColor="default1" color="default1" data-theme={bridge.theme} style={{ minHeight: "100vh" }}>
    <Suspense fallback={<Waiting />}>
      {route.page === "customer-widget" && <CustomerWidget customerId={route.customerId} />}
      {route.page === "voucher-segments" && <DiscountPopup target={{ voucher: route.voucherId }} />}
      {route.page === "discount-segments" && <DiscountPopup target={{ promotion: route.discountId }} />}
      {route.page === "home" && (
        <Box>
          {nav.view !== "segment" && (
            <Box paddingX={6} paddingTop={4}>
              <Tabs current={nav.view} onChange={(view) => setNav({ view } as Nav)} tabs={[
                { value: "segments", label: "Customer segments" },
                { value: "reports", label: "Reports" },
                { value: "events", label: "Membership events" },
                { value: "fields", label: "Customer fields for segments" },
                { value: "blocks", label: "Content blocks" },
                { value: "rules", label: "Related product rules" },
              ]} />
            </Box>
          )}
          {nav.view === "segments" && <SegmentList open={(id) => setNav({ view: "segment", id })} />}
          {nav.view === "segment" && <SegmentEditor id={nav.id} back={() => setNav({ view: "segments" })} onSaved={(id) => setNav({ view: "segment", id })} />}
          {nav.view === "reports" && <Reports />}
          {nav.view === "events" && <MembershipEvents />}
          {nav.view === "fields" && <CustomerFields />}
          {nav.view === "blocks" && <ContentPages what="blocks" />}
          {nav.view === "rules" && <ContentPages what="rules" />}
        </Box>
      )}
    </Suspense>
    </Box>
  );
}
