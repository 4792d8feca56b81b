import { describe, expect, it } from "vitest";
import { actorText, changes, summary } from "../src/lib/adminlog";
import type { AdminEvent } from "../src/lib/queries";

const event = (over: Partial<AdminEvent>): AdminEvent => ({
  id: "1", objectType: "SEGMENT", objectId: "U2VnbWVudDox", objectName: "VIP", action: "UPDATED", before: null, after: null,
  actorKind: "STAFF", userId: null, appId: null, actorName: "staff@example.com", at: "2026-11-24T06:00:00Z", ...over,
});

describe("action log", () => {
  it("lists the fields a change touched, before and after", () => {
    const e = event({ before: JSON.stringify({ name: "VIP", status: "active", definition_version: 1 }), after: JSON.stringify({ name: "VIPs", status: "active", definition_version: 2 }) });
    expect(changes(e)).toEqual([
      { field: "name", label: "Name", before: "VIP", after: "VIPs" },
      { field: "definition_version", label: "Definition version", before: "1", after: "2" },
    ]);
    expect(summary(e)).toBe("Changed Name");
  });

  it("compares conditions by value and survives missing or broken JSON", () => {
    const tree = { aggregator: "all", conditions: [] };
    expect(changes(event({ before: JSON.stringify({ conditions: tree }), after: JSON.stringify({ conditions: { ...tree } }) }))).toEqual([]);
    expect(changes(event({ before: "{not json", after: JSON.stringify({ name: "A" }) }))).toEqual([{ field: "name", label: "Name", before: "—", after: "A" }]);
    expect(summary(event({ action: "CREATED", after: JSON.stringify({ name: "A" }) }))).toBe("Created");
  });

  it("names a subscription's fields", () => {
    const e = event({ action: "UPDATED", before: JSON.stringify({ name: "CRM", target_url: "https://a.example", is_active: true }),
      after: JSON.stringify({ name: "CRM", target_url: "https://b.example", is_active: true }) });
    expect(changes(e)).toEqual([{ field: "target_url", label: "Target URL", before: "https://a.example", after: "https://b.example" }]);
    expect(summary(e)).toBe("Changed Target URL");
  });

  it("names who did it", () => {
    expect(actorText(event({}))).toBe("staff@example.com");
    expect(actorText(event({ actorKind: "APP", actorName: "Segments" }))).toBe("App Segments");
    expect(actorText(event({ actorKind: "TOKEN", actorName: "ab12…" }))).toBe("API token ab12…");
    expect(actorText(event({ actorKind: "TOKEN", actorName: "API token 1b49f4951840" }))).toBe("API token 1b49f4951840");
    expect(actorText(event({ actorKind: null, actorName: null }))).toBe("System");
  });
});
