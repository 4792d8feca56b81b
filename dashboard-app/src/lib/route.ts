// Which page the Dashboard opened: the path below <plugin>/app/ (one of the extension urls of
// the manifest) and the mount's query parameters (customerId, voucherId, discountId, ...).
export type Route =
  | { page: "home"; segment?: string; reports?: boolean; events?: boolean }
  | { page: "customer-widget"; customerId: string | null }
  | { page: "discount-segments"; discountId: string | null }
  | { page: "voucher-segments"; voucherId: string | null };

export function routeOf(pathname: string, search: string): Route {
  const at = pathname.lastIndexOf("/app/");
  const rest = (at >= 0 ? pathname.slice(at + 5) : pathname).replace(/^\/+|\/+$/g, "");
  const name = rest.split("/").pop() ?? "";
  const params = new URLSearchParams(search);
  switch (name) {
    case "customer-widget":
      return { page: name, customerId: params.get("customerId") };
    case "discount-segments":
      return { page: name, discountId: params.get("discountId") ?? params.get("promotionId") };
    case "voucher-segments":
      return { page: name, voucherId: params.get("voucherId") };
    default: {
      const match = /^segments\/([^/]+)$/.exec(rest);
      if (match) return { page: "home", segment: decodeURIComponent(match[1]!) };
      if (rest === "events") return { page: "home", events: true };
      return rest === "reports" ? { page: "home", reports: true } : { page: "home" };
    }
  }
}

/** The path the Dashboard keeps in its URL for a view of the home page (reload, back, share):
 * the inverse of routeOf. */
export function pathOf(nav: { view: string; id?: string | null }): string {
  if (nav.view === "segment" && nav.id) return `/segments/${encodeURIComponent(nav.id)}`;
  return nav.view === "reports" ? "/reports" : nav.view === "events" ? "/events" : "/";
}
