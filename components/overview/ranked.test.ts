import { describe, expect, it } from "vitest";
import { rankedScope, reuseRanked, type BreakdownData, type Ranked } from "./ranked";
import type { Issue } from "./top-issues";

const NOW = Date.parse("2026-11-30T12:00:00.000Z");
const scope = { websiteId: "w", from: "2026-11-29T10:00:00.000Z", to: "2026-11-30T10:00:00.000Z", tz: "UTC", kind: "JSError" };

const breakdown = (rows: [string, number][], from = "2026-11-29T10:00:00.000Z"): BreakdownData => ({
  by: "country",
  from,
  to: "2026-11-30T11:00:00.000Z",
  kinds: ["JSError"],
  total: rows.reduce((sum, [, n]) => sum + n, 0),
  rows: rows.map(([key, events]) => ({ key, label: key, events, byKind: { JSError: events } })),
  other: { events: 0, byKind: { JSError: 0 } },
});

const issue = (id: string, events: number): Issue => ({
  id,
  kind: "JSError",
  title: `Error ${id}`,
  firstSeen: "2026-11-29T10:00:00.000Z",
  lastSeen: "2026-11-30T10:00:00.000Z",
  events,
  totalEvents: events,
  visitors: 1,
  status: "open",
  assignee: null,
  sparkline: [events],
});

const ranked = (pl: number, issues = [issue("1", pl)], now = NOW): Ranked => ({
  byCountry: breakdown([["PL", pl]]),
  byUrl: breakdown([]),
  byVisitor: breakdown([["v", pl]]),
  issues,
  now,
});

describe("the ranked sections' scope", () => {
  it("moves a preset range to end now, keeping its length and filters", () => {
    expect(rankedScope({ scope, relative: true, until: null }, NOW)).toEqual({
      ...scope,
      from: "2026-11-29T12:00:00.000Z",
      to: "2026-11-30T12:00:00.000Z",
    });
  });

  it("keeps a custom range that ended", () => {
    expect(rankedScope({ scope, relative: false, until: scope.to }, NOW)).toEqual(scope);
  });

  it("lets a custom range that reaches now grow to now, from the same start", () => {
    expect(rankedScope({ scope, relative: false, until: null }, NOW)).toEqual({ ...scope, to: "2026-11-30T12:00:00.000Z" });
    const later = { ...scope, to: "2026-12-01T00:00:00.000Z" };
    expect(rankedScope({ scope: later, relative: false, until: null }, NOW)).toEqual(later);
  });
});

describe("reusing unchanged sections", () => {
  it("gives the previous data when a read shows the same, whatever its range bounds and time", () => {
    const previous = ranked(3);
    const next = { ...ranked(3, [issue("1", 3)], NOW + 10_000), byCountry: breakdown([["PL", 3]], "2026-11-29T10:00:10.000Z") };
    expect(reuseRanked(previous, next)).toBe(previous);
  });

  it("replaces only the sections that changed", () => {
    const previous = ranked(3);
    const next = { ...ranked(3, [issue("1", 3)], NOW + 10_000), byCountry: breakdown([["PL", 3], ["DE", 1]]) };
    const merged = reuseRanked(previous, next);
    expect(merged).not.toBe(previous);
    expect(merged.byCountry).toBe(next.byCountry);
    expect(merged.byUrl).toBe(previous.byUrl);
    expect(merged.byVisitor).toBe(previous.byVisitor);
    expect(merged.issues).toBe(previous.issues);
    expect(merged.now).toBe(NOW);
  });

  it("takes new issues with the time they were read", () => {
    const previous = ranked(3);
    const next = ranked(3, [issue("1", 4)], NOW + 10_000);
    const merged = reuseRanked(previous, next);
    expect(merged.issues).toBe(next.issues);
    expect(merged.now).toBe(NOW + 10_000);
    expect(merged.byCountry).toBe(previous.byCountry);
  });
});
