import { describe, expect, it } from "vitest";
import type { Delivery, Subscription } from "../src/lib/queries";
import {
  changesText, createInput, deliveryState, emptyForm, eventsText, fieldErrors, formOf, statusTone, updateInput, urlProblem, validate,
  type SubscriptionForm,
} from "../src/lib/subscriptions";

const SUB: Subscription = {
  id: "U2VnbWVudFN1YnNjcmlwdGlvbjox", name: "CRM", targetUrl: "https://crm.example.com/hooks", appId: null, events: ["JOINED", "LEFT"],
  segments: [{ id: "U2VnbWVudDox", name: "Gold" }, { id: "U2VnbWVudDoy", name: "Women" }], isActive: true, hasSecret: true,
  createdAt: "2026-11-24T07:00:00Z", updatedAt: "2026-11-24T07:00:00Z", failed: { totalCount: 0 },
};

function filled(change: Partial<SubscriptionForm> = {}): SubscriptionForm {
  return { ...emptyForm(), name: " CRM ", targetUrl: "https://crm.example.com/hooks", segments: ["U2VnbWVudDox"], ...change };
}

const delivery = (change: Partial<Delivery>): Delivery => ({
  id: "D", status: "PENDING", attempts: 0, responseCode: null, lastError: null, changeIds: [1, 2], createdAt: "2026-11-24T07:00:00Z",
  nextAttemptAt: null, lastAttemptAt: null, deliveredAt: null, ...change,
});

describe("subscription form", () => {
  it("starts with joins and leaves, active, nothing else", () => {
    const form = emptyForm();
    expect(form.events).toEqual({ JOINED: true, LEFT: true });
    expect(validate(form, true)).toEqual({
      name: "Give the subscription a name.", targetUrl: "Give the URL deliveries are POSTed to.", segments: "Choose at least one segment.",
    });
  });

  it("accepts http(s) URLs with a host and no credentials, as the API does", () => {
    expect(urlProblem("https://crm.example.com/hooks")).toBe("");
    expect(urlProblem("http://127.0.0.1:8000/in")).toBe("");
    expect(urlProblem("ftp://crm.example.com/")).toMatch(/http/);
    expect(urlProblem("not a url")).not.toBe("");
    expect(urlProblem("crm.example.com")).not.toBe("");
    expect(urlProblem("https://user:pw@crm.example.com/")).toMatch(/credentials/);
    expect(urlProblem(`https://x.example.com/${"a".repeat(2048)}`)).toMatch(/2048/);
  });

  it("asks for an event and, for an App target, the App", () => {
    expect(validate(filled({ events: { JOINED: false, LEFT: false } }), true)).toEqual({ events: "Choose joins, leaves or both." });
    expect(validate(filled({ target: "app" }), true)).toHaveProperty("app");
    expect(validate(filled({ target: "app" }), false)).toEqual({}); // the App is fixed once created
    expect(validate(filled({ name: "x".repeat(256) }), true)).toHaveProperty("name");
    expect(validate(filled(), true)).toEqual({});
  });

  it("builds the create input: trimmed, the chosen events, the App only when it is the target", () => {
    expect(createInput(filled({ events: { JOINED: true, LEFT: false } }))).toEqual({
      name: "CRM", targetUrl: "https://crm.example.com/hooks", segments: ["U2VnbWVudDox"], events: ["JOINED"], isActive: true,
    });
    expect(createInput(filled({ target: "app", app: " QXBwOjQ= " }))).toMatchObject({ app: "QXBwOjQ=", events: ["JOINED", "LEFT"] });
    expect(createInput(filled({ target: "url", app: "QXBwOjQ=" }))).not.toHaveProperty("app");
  });

  it("sends only what changed on update", () => {
    const form = formOf(SUB);
    expect(updateInput(form, SUB)).toEqual({});
    expect(updateInput({ ...form, segments: [...form.segments].reverse() }, SUB)).toEqual({}); // same set
    expect(updateInput({ ...form, name: "CRM 2", isActive: false, events: { JOINED: false, LEFT: true } }, SUB))
      .toEqual({ name: "CRM 2", isActive: false, events: ["LEFT"] });
    expect(updateInput({ ...form, segments: ["U2VnbWVudDoz"], targetUrl: "http://10.0.0.5/in" }, SUB))
      .toEqual({ segments: ["U2VnbWVudDoz"], targetUrl: "http://10.0.0.5/in" });
  });

  it("reads a saved subscription back into the form", () => {
    expect(formOf({ ...SUB, appId: "QXBwOjQ=", events: ["LEFT"] })).toMatchObject({ target: "app", app: "QXBwOjQ=", events: { JOINED: false, LEFT: true } });
  });

  it("puts the API's errors at their field, the rest on the form", () => {
    expect(fieldErrors([
      { field: "targetUrl", code: "INVALID", message: "No credentials in the URL." },
      { field: "segments", code: "NOT_FOUND", message: null },
      { field: "rotateSecret", code: "INVALID", message: "An App's deliveries are signed by Saleor." },
      { field: null, code: "GRAPHQL_ERROR", message: "Boom." },
    ])).toEqual({ targetUrl: "No credentials in the URL.", segments: "NOT_FOUND", form: "An App's deliveries are signed by Saleor. Boom." });
  });
});

describe("delivery words", () => {
  it("says how a delivery went", () => {
    expect(deliveryState(delivery({ status: "SUCCESS", attempts: 1, responseCode: 204 }))).toBe("Delivered (HTTP 204)");
    expect(deliveryState(delivery({ status: "FAILED", attempts: 6, responseCode: 500 }))).toBe("Failed after 6 attempts");
    expect(deliveryState(delivery({ status: "FAILED", attempts: 1 }))).toBe("Failed after 1 attempt");
    expect(deliveryState(delivery({}))).toBe("Waiting to be sent");
    expect(deliveryState(delivery({ attempts: 2 }))).toBe("Retrying (2 attempts so far)");
    expect([statusTone("SUCCESS"), statusTone("FAILED"), statusTone("PENDING")]).toEqual(["success1", "critical1", "default2"]);
  });

  it("names events and counts changes", () => {
    expect(eventsText(["JOINED", "LEFT"])).toBe("Joins and leaves");
    expect(eventsText(["LEFT"])).toBe("Leaves");
    expect(eventsText([])).toBe("—");
    expect(changesText(1)).toBe("1 change");
    expect(changesText(500)).toBe("500 changes");
  });
});
