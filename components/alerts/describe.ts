import type { AlertFigures, AlertState, Condition } from "@/lib/alerts/types";

export const STATE_LABELS: Record<AlertState, string> = { firing: "Firing", acknowledged: "Acknowledged", snoozed: "Snoozed", resolved: "Resolved" };

export const CONDITION_LABELS: Record<Condition, string> = {
  new_issue: "New issue",
  regression: "Regression",
  event_count: "Event count",
  visitor_count: "Visitor count",
  spike: "Spike",
};

/** One line on what each condition does, for the rule form. */
export const CONDITION_HELP: Record<Condition, string> = {
  new_issue: "Fires when an issue is seen for the first time.",
  regression: "Fires when a resolved issue happens again.",
  event_count: "Fires when more than the threshold of events arrive within the window.",
  visitor_count: "Fires when more than the threshold of distinct visitors have events within the window.",
  spike: "Fires when a window has more than the factor times the mean of the windows before it (and at least the minimum count).",
};

/** The snooze choices the inbox offers. */
export const SNOOZE_HOURS = [1, 8, 24] as const;

export function snoozeUntil(hours: number, now: number): string {
  return new Date(now + hours * 3_600_000).toISOString();
}

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** A rule's window in a few characters: "5 min", "2 h" (whole hours), "24 h". */
export function windowLabel(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/** Why an alert fired, in a few words: "57 events in 5 min, threshold 50". */
export function alertWhy(f: AlertFigures): string {
  const window = windowLabel(f.windowMinutes ?? 0);
  switch (f.condition) {
    case "new_issue":
      return "New issue";
    case "regression":
      return "Regressed";
    case "event_count":
      return `${number.format(f.value)} ${f.value === 1 ? "event" : "events"} in ${window}, threshold ${number.format(f.threshold)}`;
    case "visitor_count":
      return `${number.format(f.value)} ${f.value === 1 ? "visitor" : "visitors"} in ${window}, threshold ${number.format(f.threshold)}`;
    case "spike":
      if (f.baseline === null) return `${number.format(f.value)} in ${window}, still learning the baseline`;
      return `${number.format(f.value)} in ${window} vs baseline ${number.format(f.baseline)} × ${number.format(f.factor ?? 0)}`;
  }
}
