// The words of a notification, shared by the Slack and email formats (each escapes them its own way).
import type { AlertFigures, NotificationPayload, NotificationReason } from "../alerts/types";

const REASON_PREFIX: Record<NotificationReason, string> = {
  fired: "",
  updated: "Updated: ",
  resolved: "Resolved: ",
  test: "",
};

/** One line, without control characters (titles come from events). */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
}

/** "Resolved: TypeError in checkout" ; a test has no alert. */
export function headline(payload: NotificationPayload): string {
  if (!payload.alert) return "Test notification";
  return `${REASON_PREFIX[payload.reason]}${oneLine(payload.alert.title)}`;
}

/** "1 event", "1,200 events". */
export const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/** "5 minutes", "24 hours". */
export function windowText(minutes: number): string {
  if (minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

/** "120 events in 5 minutes (threshold 100)", "34 visitors in 1 hour (3× a baseline of 9.5, threshold 29)". */
export function figuresText(figures: AlertFigures): string {
  const what = figures.condition === "visitor_count" ? "visitor" : "event";
  const count = plural(figures.value, what);
  const span = figures.windowMinutes ? ` in ${windowText(figures.windowMinutes)}` : "";
  const spike =
    figures.condition === "spike" && figures.baseline !== null && figures.factor !== null
      ? `${figures.factor}× a baseline of ${Math.round(figures.baseline * 10) / 10}, `
      : "";
  return `${count}${span} (${spike}threshold ${figures.threshold.toLocaleString("en")})`;
}

/** The issues worth naming, as "title (kind): N events". */
export function issueTexts(figures: AlertFigures, limit = 5): string[] {
  return figures.issues.slice(0, limit).map((issue) => `${oneLine(issue.title)} (${issue.kind}): ${plural(issue.events, "event")}`);
}
