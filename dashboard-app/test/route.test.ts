import { describe, expect, it } from "vitest";
import { pathOf, routeOf } from "../src/lib/route";

describe("routes", () => {
  it("reads the page below <plugin>/app/", () => {
    const base = "/plugins/global/saleor_segments/app";
    expect(routeOf(`${base}/`, "")).toEqual({ page: "home" });
    expect(routeOf(`${base}/reports`, "")).toEqual({ page: "home", reports: true });
    expect(routeOf(`${base}/events`, "")).toEqual({ page: "home", events: true });
    expect(routeOf(`${base}/segments/U2VnbWVudDox`, "")).toEqual({ page: "home", segment: "U2VnbWVudDox" });
    expect(routeOf(`${base}/customer-widget`, "?customerId=VXNlcjox")).toEqual({ page: "customer-widget", customerId: "VXNlcjox" });
  });

  it("writes the path the Dashboard keeps, which reads back to the same view", () => {
    for (const nav of [{ view: "segments" }, { view: "reports" }, { view: "events" }, { view: "segment", id: "U2VnbWVudDo0Mg==" }]) {
      const route = routeOf(`/plugins/global/saleor_segments/app${pathOf(nav)}`, "");
      const back = route.page === "home" && route.segment ? { view: "segment", id: route.segment } : route.page === "home" && route.reports ? { view: "reports" }
        : route.page === "home" && route.events ? { view: "events" } : { view: "segments" };
      expect(back).toEqual(nav);
    }
  });
});
