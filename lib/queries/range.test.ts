import { describe, expect, it } from "vitest";
import { containsPattern, kindList } from "../api/params";
import { breakdownQuery, breakdownPlan } from "./get-breakdown";
import { alignRange, planRange, previousRange, rangeLimit } from "./range";

const at = (iso: string) => new Date(iso);
const iso = (r: { from: Date; to: Date }) => [r.from.toISOString(), r.to.toISOString()];

describe("alignRange", () => {
  it("widens to whole buckets aligned to the epoch, like ingest's date_bin", () => {
    expect(iso(alignRange({ from: at("2026-11-29T10:07:00Z"), to: at("2026-11-29T11:50:01Z") }, 15))).toEqual([
      "2026-11-29T10:00:00.000Z",
      "2026-11-29T12:00:00.000Z",
    ]);
    expect(iso(alignRange({ from: at("2026-11-29T10:00:00Z"), to: at("2026-11-29T11:00:00Z") }, 60))).toEqual([
      "2026-11-29T10:00:00.000Z",
      "2026-11-29T11:00:00.000Z",
    ]);
    expect(iso(alignRange({ from: at("2026-11-29T23:30:00Z"), to: at("2026-11-30T00:30:00Z") }, 1440))).toEqual([
      "2026-11-29T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);
  });

  it("keeps at least one bucket for an empty range", () => {
    expect(iso(alignRange({ from: at("2026-11-29T10:00:00Z"), to: at("2026-11-29T10:00:00Z") }, 60))).toEqual([
      "2026-11-29T10:00:00.000Z",
      "2026-11-29T11:00:00.000Z",
    ]);
  });
});

describe("previousRange", () => {
  it("is the same length just before", () => {
    expect(iso(previousRange({ from: at("2026-11-29T10:00:00Z"), to: at("2026-11-29T16:30:00Z") }))).toEqual([
      "2026-11-29T03:30:00.000Z",
      "2026-11-29T10:00:00.000Z",
    ]);
  });
});

describe("planRange", () => {
  it("reads raw events with exact bounds up to 6 hours, the rollup with widened bounds beyond", () => {
    const short = planRange({ from: at("2026-11-29T10:07:00Z"), to: at("2026-11-29T16:07:00Z") }, 15);
    expect(short.granularity).toBeNull();
    expect(iso(short)).toEqual(["2026-11-29T10:07:00.000Z", "2026-11-29T16:07:00.000Z"]);
    const long = planRange({ from: at("2026-11-29T10:07:00Z"), to: at("2026-11-29T16:07:01Z") }, 15);
    expect(long.granularity).toBe(15);
    expect(iso(long)).toEqual(["2026-11-29T10:00:00.000Z", "2026-11-29T16:15:00.000Z"]);
    expect(planRange({ from: at("2026-11-01T00:00:00Z"), to: at("2026-11-29T00:00:00Z") }, 60, true).granularity).toBeNull();
  });
});

describe("rangeLimit", () => {
  it("allows up to 90 days, defaulting from to 24 hours before to", () => {
    const [fits] = rangeLimit;
    expect(fits({ from: "2026-09-01T00:00:00Z", to: "2026-11-30T00:00:00Z" })).toBe(true);
    expect(fits({ from: "2026-08-31T23:59:59Z", to: "2026-11-30T00:00:00Z" })).toBe(false);
    expect(fits({ to: "2026-11-30T00:00:00Z" })).toBe(true);
  });
});

describe("containsPattern", () => {
  it("escapes LIKE wildcards and the escape character", () => {
    expect(containsPattern("abc")).toBe("%abc%");
    expect(containsPattern("100%_done\\x")).toBe("%100\\%\\_done\\\\x%");
  });
});

describe("kindList", () => {
  it("splits, trims and dedupes comma-separated kinds", () => {
    expect(kindList.parse("JSError, NetError,JSError")).toEqual(["JSError", "NetError"]);
    expect(kindList.safeParse(",").success).toBe(false);
    expect(kindList.safeParse("").success).toBe(false);
  });
});

describe("breakdownPlan", () => {
  const day = { websiteId: "w", from: "2026-11-29T00:00:00Z", to: "2026-11-30T00:00:00Z" };
  const plan = (extra: Record<string, string>) => breakdownPlan(breakdownQuery.parse({ ...day, ...extra })).granularity;
  it("uses each breakdown's rollup unless a filter it lacks is set", () => {
    expect(plan({ by: "country" })).toBe(60);
    expect(plan({ by: "country", country: "PL" })).toBe(60);
    expect(plan({ by: "country", visitorId: "v" })).toBeNull();
    expect(plan({ by: "issue", issueId: "12" })).toBe(60);
    expect(plan({ by: "url", country: "PL" })).toBeNull();
    expect(plan({ by: "visitor" })).toBe(1440);
    expect(plan({ by: "visitor", visitorId: "v" })).toBe(1440);
    expect(plan({ by: "visitor", issueId: "12" })).toBeNull();
  });
});
