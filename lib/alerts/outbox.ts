// The notifications an alert change queues: one notification_deliveries row per channel of the
// rule, written in the transaction that changed the alert (lib/notify sends them).
import { publicUrl } from "../env";
import type { Prisma } from "../generated/prisma/client";
import { plural, windowText } from "../notify/format";
import type { AlertFigures, NotificationPayload } from "./types";

type Tx = Prisma.TransactionClient;

export type NoticeReason = "fired" | "updated" | "resolved";

/** The alert a notification is about (the payload's, with its time as a Date). */
export type NoticeAlert = Omit<NonNullable<NotificationPayload["alert"]>, "firedAt"> & { firedAt: Date };

const round = (n: number) => Math.round(n * 10) / 10;

/** "57 events in the last 5 minutes" (or hours; or visitors, or the issue's events). */
function measured(figures: AlertFigures): string {
  if (figures.windowMinutes === null) return plural(figures.value, "event");
  const what = figures.condition === "visitor_count" ? plural(figures.value, "visitor") : plural(figures.value, "event");
  return `${what} in the last ${windowText(figures.windowMinutes)}`;
}

function why(figures: AlertFigures): string {
  if (figures.condition === "spike") {
    return figures.baseline === null
      ? `the rule is still learning its baseline`
      : `over ${round(figures.factor ?? 1)}× the usual ${round(figures.baseline)} (at least ${round(figures.threshold)})`;
  }
  return `over the threshold of ${plural(figures.threshold, figures.condition === "visitor_count" ? "visitor" : "event")}`;
}

/** One readable sentence: what happened and why. */
export function summarize(reason: NoticeReason, alert: NoticeAlert): string {
  const { figures } = alert;
  const site = alert.websiteName ?? alert.websiteId;
  const issue = figures.issues[0];
  if (figures.condition === "new_issue" || figures.condition === "regression") {
    const title = issue ? `“${issue.title}”` : "an issue";
    if (reason === "resolved") return `Resolved: ${title} on ${site} is no longer open (rule “${alert.ruleName}”).`;
    const what = figures.condition === "new_issue" ? `New issue ${title} on ${site}` : `${title} came back on ${site} after it was resolved`;
    return `${what}: ${measured(figures)} so far (rule “${alert.ruleName}”).`;
  }
  if (reason === "resolved") return `Resolved: ${alert.title} on ${site} is back to ${measured(figures)} (rule “${alert.ruleName}”).`;
  return `${alert.title} on ${site}: ${reason === "updated" ? "now " : ""}${measured(figures)}, ${why(figures)}.`;
}

export function alertUrl(alertId: string): string {
  return `${publicUrl()}/alerts/${alertId}`;
}

export function noticePayload(reason: NoticeReason, alert: NoticeAlert, now: Date): NotificationPayload {
  return {
    reason,
    alert: { ...alert, firedAt: alert.firedAt.toISOString() },
    url: alertUrl(alert.id),
    summary: summarize(reason, alert),
    sentAt: now.toISOString(),
  };
}

/** Queues the notification for each channel of the alert's rule (as the rule is now); returns how many. */
export async function queueNotice(tx: Tx, reason: NoticeReason, alert: NoticeAlert, now: Date): Promise<number> {
  const payload = JSON.stringify(noticePayload(reason, alert, now));
  return tx.$executeRaw`
    INSERT INTO notification_deliveries (channel_id, alert_id, reason, payload)
    SELECT rc.channel_id, ${alert.id}::bigint, ${reason}, ${payload}::jsonb
    FROM alert_rule_channels rc WHERE rc.rule_id = ${alert.ruleId}
    ORDER BY rc.channel_id`;
}
