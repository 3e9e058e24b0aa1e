import { describe, expect, it } from "vitest";
import { decide, observeWindow, spanMs, windowLayout, type DecisionInput, type OpenAlert, type WindowRule } from "./conditions";

const NOW = new Date("2026-12-01T12:00:30Z");
const LONG_AGO = new Date("2026-01-01T00:00:00Z");
const minutes = (n: number) => n * 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

const eventCount: WindowRule = { condition: "event_count", threshold: 10, windowMinutes: 5, spikeFactor: null, baselineWindows: null, countingSince: LONG_AGO };
const visitorCount: WindowRule = { ...eventCount, condition: "visitor_count" };
const spike: WindowRule = { condition: "spike", threshold: 5, windowMinutes: 5, spikeFactor: 3, baselineWindows: 4, countingSince: LONG_AGO };

/** Counts for the 12 windows of a count rule with `current` in the last one. */
const countsEndingWith = (current: number) => [...Array<number>(11).fill(0), current];

describe("windowLayout", () => {
  it("the current window is the window's whole minutes up to and including now's", () => {
    const layout = windowLayout(eventCount, NOW);
    expect(layout.currentStart.toISOString()).toBe("2026-12-01T11:56:00.000Z");
    expect(layout.windows).toBe(12);
    expect(layout.seriesStart.toISOString()).toBe("2026-12-01T11:01:00.000Z");
  });

  it("a spike reads its baseline windows and the current one", () => {
    const layout = windowLayout(spike, NOW);
    expect(layout.windows).toBe(5);
    expect(layout.seriesStart.toISOString()).toBe("2026-12-01T11:36:00.000Z");
    expect(spanMs(spike)).toBe(minutes(25));
    expect(spanMs(eventCount)).toBe(minutes(60));
  });
});

describe("event_count and visitor_count", () => {
  it("holds when the window's value is over the threshold, not at it", () => {
    expect(observeWindow(eventCount, NOW, countsEndingWith(11), 0)).toMatchObject({ holds: true, value: 11, threshold: 10, baseline: null, factor: null });
    expect(observeWindow(eventCount, NOW, countsEndingWith(10), 0).holds).toBe(false);
    expect(observeWindow(eventCount, NOW, [50, ...Array<number>(11).fill(0)], 0).holds).toBe(false);
  });

  it("visitor_count compares the distinct visitors, not the events", () => {
    expect(observeWindow(visitorCount, NOW, countsEndingWith(500), 10)).toMatchObject({ holds: false, value: 10 });
    expect(observeWindow(visitorCount, NOW, countsEndingWith(11), 11)).toMatchObject({ holds: true, value: 11, threshold: 10 });
  });

  it("the series is 12 window-sized buckets, oldest first, ending with the current window", () => {
    const { series } = observeWindow(eventCount, NOW, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 0);
    expect(series).toHaveLength(12);
    expect(series[0]).toEqual({ at: "2026-12-01T11:01:00.000Z", count: 1 });
    expect(series[11]).toEqual({ at: "2026-12-01T11:56:00.000Z", count: 12 });
  });
});

describe("spike", () => {
  it("quiet site: a zero baseline fires once the current window reaches the minimum", () => {
    expect(observeWindow(spike, NOW, [0, 0, 0, 0, 5], 0)).toMatchObject({ holds: true, value: 5, baseline: 0, factor: 3, threshold: 5 });
    expect(observeWindow(spike, NOW, [0, 0, 0, 0, 4], 0).holds).toBe(false);
  });

  it("busy site: the current window must exceed the baseline's mean times the factor", () => {
    const busy = [100, 120, 80, 100];
    expect(observeWindow(spike, NOW, [...busy, 300], 0)).toMatchObject({ holds: false, baseline: 100, threshold: 300 });
    expect(observeWindow(spike, NOW, [...busy, 301], 0)).toMatchObject({ holds: true, value: 301, baseline: 100, threshold: 300 });
  });

  it("the minimum applies even above the baseline: 4 events over a baseline of 1 are not a spike with a minimum of 5", () => {
    expect(observeWindow(spike, NOW, [1, 1, 1, 1, 4], 0)).toMatchObject({ holds: false, threshold: 5 });
    expect(observeWindow(spike, NOW, [1, 1, 1, 1, 5], 0)).toMatchObject({ holds: true, threshold: 5 });
  });

  it("the factor scales the baseline", () => {
    const tenfold = { ...spike, spikeFactor: 10 };
    expect(observeWindow(tenfold, NOW, [10, 10, 10, 10, 99], 0)).toMatchObject({ holds: false, threshold: 100 });
    expect(observeWindow(tenfold, NOW, [10, 10, 10, 10, 101], 0).holds).toBe(true);
  });

  it("learning: no baseline window started after the rule was created, so it does not fire", () => {
    const fresh = { ...spike, countingSince: ago(minutes(3)) };
    expect(observeWindow(fresh, NOW, [0, 0, 0, 0, 1000], 0)).toMatchObject({ holds: false, baseline: null, threshold: 5, value: 1000 });
  });

  it("counts only the baseline windows that started at or after the rule's creation", () => {
    // Created at 11:46: the windows starting 11:46 and 11:51 count, 11:36 and 11:41 do not.
    const young = { ...spike, countingSince: new Date("2026-12-01T11:46:00Z") };
    expect(observeWindow(young, NOW, [1000, 1000, 2, 4, 10], 0)).toMatchObject({ holds: true, baseline: 3, threshold: 9 });
    expect(observeWindow({ ...spike, countingSince: new Date("2026-12-01T11:46:00.001Z") }, NOW, [1000, 1000, 2, 4, 10], 0)).toMatchObject({ baseline: 4 });
  });

  it("the series holds the baseline windows and the current one", () => {
    expect(observeWindow(spike, NOW, [1, 2, 3, 4, 5], 0).series.map((w) => w.count)).toEqual([1, 2, 3, 4, 5]);
  });
});

const firing = (over: Partial<OpenAlert> = {}): OpenAlert => ({
  state: "firing",
  snoozedUntil: null,
  notifiedAt: ago(minutes(60)),
  lastNotice: { reason: "fired", value: 20 },
  ...over,
});
const input = (over: Partial<DecisionInput>): DecisionInput => ({ holds: true, value: 20, cooldownMinutes: 30, open: null, lastResolved: null, now: NOW, ...over });

describe("decide: firing and dedup", () => {
  it("fires when the condition holds and nothing is open or recently resolved", () => {
    expect(decide(input({}))).toEqual({ action: "fire" });
    expect(decide(input({ lastResolved: { resolvedAt: ago(minutes(31)), resolvedBy: "system" } }))).toEqual({ action: "fire" });
  });

  it("does nothing when the condition does not hold and nothing is open", () => {
    expect(decide(input({ holds: false }))).toEqual({ action: "none" });
  });

  it("an open alert is updated, not fired again (dedup)", () => {
    expect(decide(input({ open: firing({ notifiedAt: ago(minutes(1)) }), value: 25 }))).toEqual({ action: "update", notify: false });
  });
});

describe("decide: updated notifications (cooldown)", () => {
  it("notify when the value grew since the last notification and that is older than the cooldown", () => {
    expect(decide(input({ open: firing(), value: 21 }))).toEqual({ action: "update", notify: true });
    expect(decide(input({ open: firing({ notifiedAt: ago(minutes(30)) }), value: 21 }))).toEqual({ action: "update", notify: true });
  });

  it("not within the cooldown", () => {
    expect(decide(input({ open: firing({ notifiedAt: ago(minutes(29)) }), value: 100 }))).toEqual({ action: "update", notify: false });
  });

  it("not when the value did not grow since the last notification", () => {
    expect(decide(input({ open: firing(), value: 20 }))).toEqual({ action: "update", notify: false });
    expect(decide(input({ open: firing(), value: 12 }))).toEqual({ action: "update", notify: false });
  });

  it("never for an acknowledged alert", () => {
    expect(decide(input({ open: firing({ state: "acknowledged" }), value: 1000 }))).toEqual({ action: "update", notify: false });
  });

  it("a cooldown of zero lets every growth notify", () => {
    expect(decide(input({ open: firing({ notifiedAt: NOW }), value: 21, cooldownMinutes: 0 }))).toEqual({ action: "update", notify: true });
  });
});

describe("decide: resolving", () => {
  it("the system resolves an open alert when the condition clears, notifying since it was notified", () => {
    expect(decide(input({ holds: false, open: firing() }))).toEqual({ action: "resolve", notify: true });
    expect(decide(input({ holds: false, open: firing({ state: "acknowledged" }) }))).toEqual({ action: "resolve", notify: true });
  });

  it("no resolved notification for an alert never notified, or whose last notice already said resolved", () => {
    expect(decide(input({ holds: false, open: firing({ notifiedAt: null, lastNotice: null }) }))).toEqual({ action: "resolve", notify: false });
    expect(decide(input({ holds: false, open: firing({ lastNotice: { reason: "resolved", value: 3 } }) }))).toEqual({ action: "resolve", notify: false });
  });
});

describe("decide: within the cooldown after a resolve", () => {
  it("an alert the system resolved reopens, without a notification (flapping)", () => {
    expect(decide(input({ lastResolved: { resolvedAt: ago(minutes(5)), resolvedBy: "system" } }))).toEqual({ action: "reopen" });
  });

  it("an alert a member resolved stays resolved", () => {
    expect(decide(input({ lastResolved: { resolvedAt: ago(minutes(5)), resolvedBy: "Ada" } }))).toEqual({ action: "none" });
    expect(decide(input({ lastResolved: { resolvedAt: ago(minutes(29)), resolvedBy: "API token “ci”" } }))).toEqual({ action: "none" });
  });

  it("after the cooldown either fires a new alert", () => {
    expect(decide(input({ lastResolved: { resolvedAt: ago(minutes(30)), resolvedBy: "Ada" } }))).toEqual({ action: "fire" });
    expect(decide(input({ lastResolved: { resolvedAt: ago(minutes(45)), resolvedBy: "system" } }))).toEqual({ action: "fire" });
  });

  it("a reopened alert whose last notice was the resolve notifies an update once the cooldown passed and it grew", () => {
    const reopened = firing({ notifiedAt: ago(minutes(31)), lastNotice: { reason: "resolved", value: 3 } });
    expect(decide(input({ open: reopened, value: 15 }))).toEqual({ action: "update", notify: true });
    expect(decide(input({ open: { ...reopened, notifiedAt: ago(minutes(2)) }, value: 15 }))).toEqual({ action: "update", notify: false });
  });
});

describe("decide: snooze", () => {
  const snoozed = (until: Date) => firing({ state: "snoozed", snoozedUntil: until });

  it("while snoozed: updates silently, and neither resolves nor notifies", () => {
    expect(decide(input({ open: snoozed(ago(-minutes(10))), value: 1000 }))).toEqual({ action: "update", notify: false });
    expect(decide(input({ holds: false, open: snoozed(ago(-minutes(10))) }))).toEqual({ action: "none" });
  });

  it("once the snooze passed: back to firing with a notification if it still holds", () => {
    expect(decide(input({ open: snoozed(NOW) }))).toEqual({ action: "refire" });
    expect(decide(input({ open: snoozed(ago(minutes(1))), value: 1 }))).toEqual({ action: "refire" });
  });

  it("once the snooze passed: resolved if it no longer holds", () => {
    expect(decide(input({ holds: false, open: snoozed(ago(1)) }))).toEqual({ action: "resolve", notify: true });
    expect(decide(input({ holds: false, open: { ...snoozed(ago(1)), lastNotice: null, notifiedAt: null } }))).toEqual({ action: "resolve", notify: false });
  });
});
