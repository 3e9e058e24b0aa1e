// The evaluator's decisions, as pure functions of a rule, its figures and its alerts (the life
// of an alert is described in ./types.ts): the database work around them is in ./evaluator.ts.
import type { AlertState, Condition } from "./types";

const MINUTE_MS = 60_000;
/** Windows shown in an event or visitor count alert's series. */
export const SERIES_WINDOWS = 12;

export type WindowRule = {
  condition: Condition;
  threshold: number | null;
  windowMinutes: number | null;
  spikeFactor: number | null;
  baselineWindows: number | null;
  /** Since when the rule's counters hold every matching event (windows before count nothing). */
  countingSince: Date;
};

/**
 * How many windows a rule keeps counts for: the baseline windows and the current one for a
 * spike, the series' windows otherwise. Older counts are pruned and older events ignored.
 */
export function spanWindows(rule: Pick<WindowRule, "condition" | "baselineWindows">): number {
  return rule.condition === "spike" ? (rule.baselineWindows ?? 1) + 1 : SERIES_WINDOWS;
}

export function spanMs(rule: Pick<WindowRule, "condition" | "baselineWindows" | "windowMinutes">): number {
  return spanWindows(rule) * (rule.windowMinutes ?? 1) * MINUTE_MS;
}

export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

/**
 * The windows an evaluation at `now` reads, oldest first. Counts are per minute, so windows are
 * whole minutes: the current one is the `windowMinutes` minutes up to and including `now`'s.
 */
export function windowLayout(rule: WindowRule, now: Date): { windowMs: number; windows: number; currentStart: Date; seriesStart: Date } {
  const windowMs = (rule.windowMinutes ?? 1) * MINUTE_MS;
  const windows = spanWindows(rule);
  const currentStart = new Date(minuteOf(now).getTime() + MINUTE_MS - windowMs);
  return { windowMs, windows, currentStart, seriesStart: new Date(currentStart.getTime() - (windows - 1) * windowMs) };
}

export type WindowObservation = {
  holds: boolean;
  value: number;
  threshold: number;
  baseline: number | null;
  factor: number | null;
  series: { at: string; count: number }[];
};

/**
 * Whether a window condition holds. `counts` are the events per window of windowLayout (oldest
 * first, the current one last); `visitors` the distinct visitors of the current window.
 * A spike's baseline is the mean of the windows before the current one that started at or
 * after the rule was created (earlier ones were not counted); without one it is learning.
 */
export function observeWindow(rule: WindowRule, now: Date, counts: number[], visitors: number): WindowObservation {
  const { windowMs, windows, seriesStart } = windowLayout(rule, now);
  const series = Array.from({ length: windows }, (_, k) => ({ at: new Date(seriesStart.getTime() + k * windowMs).toISOString(), count: counts[k] ?? 0 }));
  const current = series[windows - 1]!.count;
  const threshold = rule.threshold ?? 0;
  if (rule.condition === "visitor_count") return { holds: visitors > threshold, value: visitors, threshold, baseline: null, factor: null, series };
  if (rule.condition !== "spike") return { holds: current > threshold, value: current, threshold, baseline: null, factor: null, series };
  const factor = rule.spikeFactor ?? 1;
  const complete = series.slice(0, -1).filter((w) => Date.parse(w.at) >= rule.countingSince.getTime());
  if (complete.length === 0) return { holds: false, value: current, threshold, baseline: null, factor, series };
  const baseline = complete.reduce((sum, w) => sum + w.count, 0) / complete.length;
  return {
    holds: current >= threshold && current > baseline * factor,
    value: current,
    threshold: Math.max(baseline * factor, threshold),
    baseline,
    factor,
    series,
  };
}

/** An open alert of the (rule, dedup key), as the decision needs it. */
export type OpenAlert = {
  state: Exclude<AlertState, "resolved">;
  snoozedUntil: Date | null;
  notifiedAt: Date | null;
  /** The latest notification queued for it: its reason and the value it reported. */
  lastNotice: { reason: "fired" | "updated" | "resolved"; value: number } | null;
};

/** The latest resolved alert of the same (rule, dedup key). */
export type ResolvedAlert = { resolvedAt: Date; resolvedBy: string | null };

export const SYSTEM = "system";

export type Decision =
  | { action: "none" }
  /** A new alert, with a "fired" notification. */
  | { action: "fire" }
  /** New figures on the open alert; an "updated" notification when `notify`. */
  | { action: "update"; notify: boolean }
  /** The system-resolved alert opens again, without a notification (flapping). */
  | { action: "reopen" }
  /** A snoozed alert whose time passed returns to firing, with a "fired" notification. */
  | { action: "refire" }
  /** Resolved by the system; a "resolved" notification when `notify`. */
  | { action: "resolve"; notify: boolean };

export type DecisionInput = {
  holds: boolean;
  value: number;
  cooldownMinutes: number;
  open: OpenAlert | null;
  lastResolved: ResolvedAlert | null;
  now: Date;
};

const NONE: Decision = { action: "none" };

export function decide({ holds, value, cooldownMinutes, open, lastResolved, now }: DecisionInput): Decision {
  const cooldownStart = now.getTime() - cooldownMinutes * MINUTE_MS;
  // A resolve follows only a notification about the alert being up (not a second "resolved").
  const notifyResolve = open?.lastNotice != null && open.lastNotice.reason !== "resolved";
  if (open?.state === "snoozed") {
    if (open.snoozedUntil !== null && open.snoozedUntil.getTime() > now.getTime()) return holds ? { action: "update", notify: false } : NONE;
    return holds ? { action: "refire" } : { action: "resolve", notify: notifyResolve };
  }
  if (open) {
    if (!holds) return { action: "resolve", notify: notifyResolve };
    const grew = open.lastNotice === null || value > open.lastNotice.value;
    const quiet = open.notifiedAt === null || open.notifiedAt.getTime() <= cooldownStart;
    return { action: "update", notify: open.state === "firing" && grew && quiet };
  }
  if (!holds) return NONE;
  if (lastResolved && lastResolved.resolvedAt.getTime() > cooldownStart) {
    return lastResolved.resolvedBy === SYSTEM ? { action: "reopen" } : NONE;
  }
  return { action: "fire" };
}
