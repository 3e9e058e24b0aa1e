import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { bulkBody, sameState, stateColumns, updateIssueBody } from "./states";

const now = new Date("2026-12-01T12:00:00Z");

describe("stateColumns", () => {
  it("resolve and reopen clear any ignore", () => {
    expect(stateColumns("resolved", undefined, 10, now)).toEqual({ status: "resolved", ignoreKind: null, ignoreUntil: null, ignoreUntilEvents: null });
    expect(stateColumns("open", undefined, 10, now)).toEqual({ status: "open", ignoreKind: null, ignoreUntil: null, ignoreUntilEvents: null });
  });

  it("ignore until N more events stores the count to exceed", () => {
    expect(stateColumns("ignored", { kind: "events", events: 5 }, 10, now)).toMatchObject({ ignoreKind: "events", ignoreUntilEvents: 15 });
  });

  it("ignore until a time: in the future, at most a year ahead", () => {
    expect(stateColumns("ignored", { kind: "until", until: "2026-12-02T00:00:00Z" }, 0, now).ignoreUntil).toEqual(new Date("2026-12-02T00:00:00Z"));
    expect(() => stateColumns("ignored", { kind: "until", until: "2026-12-01T12:00:00Z" }, 0, now)).toThrow(ApiError);
    expect(() => stateColumns("ignored", { kind: "until", until: "2028-01-01T00:00:00Z" }, 0, now)).toThrow(/366 days/);
  });

  it("ignore forever, and ignoring without an option is refused", () => {
    expect(stateColumns("ignored", { kind: "forever" }, 3, now)).toEqual({ status: "ignored", ignoreKind: "forever", ignoreUntil: null, ignoreUntilEvents: null });
    expect(() => stateColumns("ignored", undefined, 3, now)).toThrow(ApiError);
  });

  it("sameState compares every column", () => {
    const a = stateColumns("ignored", { kind: "until", until: "2026-12-02T00:00:00Z" }, 0, now);
    expect(sameState(a, stateColumns("ignored", { kind: "until", until: "2026-12-02T00:00:00.000Z" }, 0, now))).toBe(true);
    expect(sameState(a, stateColumns("ignored", { kind: "until", until: "2026-12-03T00:00:00Z" }, 0, now))).toBe(false);
    expect(sameState(a, stateColumns("resolved", undefined, 0, now))).toBe(false);
    // A new "N more events" counts from now, so it is a change even with the same N.
    expect(sameState(stateColumns("ignored", { kind: "events", events: 2 }, 1, now), stateColumns("ignored", { kind: "events", events: 2 }, 3, now))).toBe(false);
  });
});

describe("request bodies", () => {
  it("PATCH takes a state (ignore only with ignored), an assignee, or both", () => {
    expect(updateIssueBody.safeParse({ status: "resolved" }).success).toBe(true);
    expect(updateIssueBody.safeParse({ assigneeId: null }).success).toBe(true);
    expect(updateIssueBody.safeParse({ status: "ignored", ignore: { kind: "forever" }, assigneeId: "u1" }).success).toBe(true);
    for (const bad of [{}, { status: "regressed" }, { status: "ignored" }, { status: "open", ignore: { kind: "forever" } }, { status: "ignored", ignore: { kind: "events", events: 1.5 } }]) {
      expect(updateIssueBody.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("bulk takes ids and one action with its options", () => {
    expect(bulkBody.safeParse({ ids: ["1", "-2"], action: "assign", assigneeId: null }).success).toBe(true);
    expect(bulkBody.safeParse({ ids: ["1"], action: "ignore", ignore: { kind: "until", until: "2027-01-01T00:00:00Z" } }).success).toBe(true);
    for (const bad of [{ ids: ["1"], action: "assign" }, { ids: ["x"], action: "resolve" }, { ids: ["99999999999999999999"], action: "resolve" }]) {
      expect(bulkBody.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
