import { describe, expect, it } from "vitest";

import { sampleLine } from "../src/lib/people";

describe("sampleLine", () => {
  it("shows the name and the e-mail", () => {
    expect(sampleLine({ firstName: "Ann", lastName: "Lee", email: "ann@example.com" })).toBe("Ann Lee · ann@example.com");
  });
  it("shows the e-mail once for a customer without a name", () => {
    expect(sampleLine({ firstName: "", lastName: null, email: "b@example.com" })).toBe("b@example.com");
  });
});
