import { describe, expect, it } from "vitest";
import type { LiveEvent } from "@/lib/realtime/live-event";
import { addToCounts, addToTrend, inRange, mergeFeed, type Trend } from "./apply";

const ev = (kind: string, occurredAt: string, messageId = `${kind}-${occurredAt}`) => ({ kind, occurredAt, messageId }) as LiveEvent;
const trend = (): Trend => ({
  bucketMinutes: 15,
  series: ["JSError", "NetError"],
  points: ["10:00", "10:15", "10:30"].map((hm) => ({ t: `2026-11-29T${hm}:00.000Z`, values: { JSError: 1, NetError: 0 } })),
});

describe("live updates", () => {
  it("counts kinds it knows", () => {
    expect(addToCounts({ JSError: 1, NetError: 0, affectedVisitors: 3 }, [ev("JSError", "x"), ev("JSError", "y"), ev("Other", "z")])).toEqual({
      JSError: 3,
      NetError: 0,
      affectedVisitors: 3,
    });
  });

  it("grows the current bucket and opens new ones, sliding a moving range", () => {
    const before = trend();
    const grown = addToTrend(before, [ev("JSError", "2026-11-29T10:44:59.000Z"), ev("NetError", "2026-11-29T10:31:00.000Z")], true);
    expect(grown.points.map((p) => p.values)).toEqual([
      { JSError: 1, NetError: 0 },
      { JSError: 1, NetError: 0 },
      { JSError: 2, NetError: 1 },
    ]);
    expect(before.points[2]!.values).toEqual({ JSError: 1, NetError: 0 });
    const moved = addToTrend(grown, [ev("NetError", "2026-11-29T11:01:00.000Z"), ev("JSError", "2026-11-29T10:16:00.000Z")], true);
    expect(moved.points.map((p) => [p.t.slice(11, 16), p.values])).toEqual([
      ["10:30", { JSError: 2, NetError: 1 }],
      ["10:45", { JSError: 0, NetError: 0 }],
      ["11:00", { JSError: 0, NetError: 1 }],
    ]);
    const fixed = addToTrend(trend(), [ev("JSError", "2026-11-29T10:50:00.000Z")], false);
    expect(fixed.points.map((p) => p.t.slice(11, 16))).toEqual(["10:00", "10:15", "10:30", "10:45"]);
    expect(addToTrend(trend(), [ev("JSError", "2026-11-29T09:59:59.000Z")], true).points.map((p) => p.values.JSError)).toEqual([1, 1, 1]);
  });

  it("adds a series for a new kind", () => {
    const next = addToTrend(trend(), [ev("Brand", "2026-11-29T10:00:00.000Z")], true);
    expect(next.series).toEqual(["JSError", "NetError", "Brand"]);
    expect(next.points.map((p) => p.values.Brand)).toEqual([1, 0, 0]);
  });

  it("keeps a feed newest first, bounded, without repeats", () => {
    const feed = [ev("JSError", "2026-11-29T10:00:00Z", "a")];
    const merged = mergeFeed(feed, [ev("JSError", "2026-11-29T10:05:00Z", "b"), ev("JSError", "2026-11-29T10:00:00Z", "a"), ev("NetError", "2026-11-29T09:00:00Z", "c")], 2);
    expect(merged.map((e) => e.messageId)).toEqual(["b", "a"]);
  });

  it("tells what is in range", () => {
    expect(inRange(ev("JSError", "2026-11-29T10:00:00.000Z"), "2026-11-29T10:00:00.000Z", null)).toBe(true);
    expect(inRange(ev("JSError", "2026-11-29T10:00:00.000Z"), "2026-11-29T10:00:00.000Z", "2026-11-29T10:00:00.000Z")).toBe(false);
  });
});
