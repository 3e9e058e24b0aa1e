import { describe, expect, it } from "vitest";
import { parseBound, viewHref } from "./view";

describe("parseBound", () => {
  it("reads a wall-clock date-time in the view's time zone", () => {
    expect(parseBound("2026-11-01T08:30", "Europe/Warsaw")?.toISOString()).toBe("2026-11-01T07:30:00.000Z");
    expect(parseBound("2026-07-01T08:30", "Europe/Warsaw")?.toISOString()).toBe("2026-07-01T06:30:00.000Z");
    expect(parseBound("2026-11-01", "America/New_York")?.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(parseBound("2026-11-01T08:30", "UTC")?.toISOString()).toBe("2026-11-01T08:30:00.000Z");
  });

  it("reads the hour after a daylight-saving change at its new offset", () => {
    // Europe/Warsaw left summer time at 03:00 on 2026-10-25 (UTC+2 → UTC+1).
    expect(parseBound("2026-10-25T05:00", "Europe/Warsaw")?.toISOString()).toBe("2026-10-25T04:00:00.000Z");
    expect(parseBound("2026-10-24T05:00", "Europe/Warsaw")?.toISOString()).toBe("2026-10-24T03:00:00.000Z");
  });

  it("takes an ISO time with an offset as it is", () => {
    expect(parseBound("2026-11-01T08:30:00+05:00", "Europe/Warsaw")?.toISOString()).toBe("2026-11-01T03:30:00.000Z");
  });

  it("refuses what is not a date", () => {
    expect(parseBound("yesterday", "UTC")).toBeNull();
    expect(parseBound("2026-13-45T99:99", "UTC")).toBeNull();
  });
});

describe("viewHref", () => {
  it("keeps the view and applies changes", () => {
    const view = { params: { website: "w1", range: "7d", country: "PL" } };
    expect(viewHref("/issues", view)).toBe("/issues?website=w1&range=7d&country=PL");
    expect(viewHref("/issues", view, { country: null, q: "a b" })).toBe("/issues?website=w1&range=7d&q=a+b");
    expect(viewHref("/issues", { params: {} })).toBe("/issues");
  });
});
