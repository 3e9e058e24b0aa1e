import { describe, expect, it } from "vitest";
import { liveFilters, rangeEnd } from "./live";

const scope = { websiteId: "w", from: "2026-11-30T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z", tz: "Europe/Warsaw", country: "PL", kind: "JSError,RageClick" };

describe("liveFilters", () => {
  it("keeps the view's filters, not its website, range or time zone", () => {
    expect(liveFilters({ scope })).toEqual({ country: "PL", kind: "JSError,RageClick" });
  });

  it("sets, replaces and drops filters", () => {
    expect(liveFilters({ scope }, { kind: "NetError", country: undefined, url: "/api/cart" })).toEqual({ kind: "NetError", url: "/api/cart" });
  });
});

describe("rangeEnd", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it("is null for a preset range: it moves with now", () => {
    expect(rangeEnd({ rangeId: "24h", to: new Date(now) }, now)).toBeNull();
  });

  it("is the end of a custom range that ended, and null for one that reaches now", () => {
    expect(rangeEnd({ rangeId: "custom", to: new Date("2026-12-01T00:00:00Z") }, now)).toBe("2026-12-01T00:00:00.000Z");
    expect(rangeEnd({ rangeId: "custom", to: new Date(now - 30_000) }, now)).toBeNull();
  });
});
