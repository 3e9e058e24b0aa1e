import { describe, expect, it } from "vitest";
import { bucketStarts, chooseBucket, fillBuckets, firstBucketStart, zoneOffsetMinutes } from "./buckets";

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe("chooseBucket", () => {
  it("keeps every preset range to at most 200 points", () => {
    const now = at("2026-11-29T12:00:00Z");
    const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
    expect(chooseBucket(ago(1), now)).toBe(1);
    expect(chooseBucket(ago(24), now)).toBe(15);
    expect(chooseBucket(ago(24 * 7), now)).toBe(60);
    expect(chooseBucket(ago(24 * 30), now)).toBe(360);
    expect(chooseBucket(ago(24 * 90), now)).toBe(720);
  });
});

describe("zoneOffsetMinutes", () => {
  it("reads the offset of a zone at an instant, including half hours and DST", () => {
    expect(zoneOffsetMinutes(at("2026-11-29T12:00:00Z"), "UTC")).toBe(0);
    expect(zoneOffsetMinutes(at("2026-11-29T12:00:00Z"), "Asia/Kolkata")).toBe(330);
    expect(zoneOffsetMinutes(at("2026-07-01T12:00:00Z"), "Europe/Warsaw")).toBe(120);
    expect(zoneOffsetMinutes(at("2026-12-01T12:00:00Z"), "Europe/Warsaw")).toBe(60);
    expect(zoneOffsetMinutes(at("2026-12-01T12:00:00Z"), "America/New_York")).toBe(-300);
  });
});

describe("firstBucketStart", () => {
  it("lines buckets up with local midnight", () => {
    // 10:47 in Kolkata (05:17Z): hourly buckets start on the local hour, 10:00 = 04:30Z.
    expect(firstBucketStart(at("2026-11-29T05:17:00Z"), 60, "Asia/Kolkata").toISOString()).toBe("2026-11-29T04:30:00.000Z");
    expect(firstBucketStart(at("2026-11-29T05:17:00Z"), 60, "UTC").toISOString()).toBe("2026-11-29T05:00:00.000Z");
    // 6-hour buckets in New York start at 00, 06, 12, 18 local (05, 11, 17, 23 UTC).
    expect(firstBucketStart(at("2026-12-01T16:59:00Z"), 360, "America/New_York").toISOString()).toBe("2026-12-01T11:00:00.000Z");
    expect(firstBucketStart(at("2026-12-01T16:59:59.999Z"), 15, "UTC").toISOString()).toBe("2026-12-01T16:45:00.000Z");
  });
});

describe("bucketStarts", () => {
  it("covers the range from the bucket holding `from` to the one holding `to`", () => {
    const starts = bucketStarts(at("2026-11-29T10:20:00Z"), at("2026-11-29T11:05:00Z"), 15, "UTC");
    expect(starts.map((d) => d.toISOString().slice(11, 16))).toEqual(["10:15", "10:30", "10:45", "11:00"]);
  });
});

describe("fillBuckets", () => {
  it("puts counts in their buckets and zeros everywhere else", () => {
    const starts = bucketStarts(at("2026-11-29T10:00:00Z"), at("2026-11-29T10:40:00Z"), 15, "UTC");
    const points = fillBuckets(starts, ["JSError", "NetError"], [
      { bucket: at("2026-11-29T10:15:00Z"), series: "JSError", events: 4 },
      { bucket: at("2026-11-29T10:15:00Z"), series: "NetError", events: 1 },
      { bucket: at("2026-11-29T10:30:00Z"), series: "JSError", events: 2 },
      { bucket: at("2026-11-29T09:00:00Z"), series: "JSError", events: 99 },
      { bucket: at("2026-11-29T10:30:00Z"), series: "Unknown", events: 7 },
    ]);
    expect(points).toEqual([
      { t: "2026-11-29T10:00:00.000Z", values: { JSError: 0, NetError: 0 } },
      { t: "2026-11-29T10:15:00.000Z", values: { JSError: 4, NetError: 1 } },
      { t: "2026-11-29T10:30:00.000Z", values: { JSError: 2, NetError: 0 } },
    ]);
  });
});
