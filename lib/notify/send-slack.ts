// Slack channels: an incoming-webhook message in mrkdwn.
import type { NotificationPayload, NotificationReason } from "../alerts/types";
import { figuresText, headline, issueTexts, oneLine } from "./format";
import { postJson } from "./http";
import type { SendResult } from "./send-result";

const EMOJI: Record<NotificationReason, string> = {
  fired: ":rotating_light:",
  updated: ":chart_with_upwards_trend:",
  resolved: ":white_check_mark:",
  test: ":wave:",
};

/** Slack's escaping for message text: only &, < and > (anything else would show as typed). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The message text: emoji and title, rule, summary, figures, issues, and a link to the dashboard. */
export function slackText(payload: NotificationPayload): string {
  const lines = [`${EMOJI[payload.reason]} *${escapeSlack(headline(payload))}*`];
  const { alert } = payload;
  if (alert) {
    const website = alert.websiteName ?? alert.websiteId;
    lines.push(`Rule: ${escapeSlack(oneLine(alert.ruleName))} · Website: ${escapeSlack(oneLine(website))}`);
  }
  lines.push(escapeSlack(payload.summary));
  if (alert) {
    lines.push(`*Figures:* ${escapeSlack(figuresText(alert.figures))}`);
    const issues = issueTexts(alert.figures);
    if (issues.length > 0) lines.push(`*Issues:*\n${issues.map((issue) => `• ${escapeSlack(issue)}`).join("\n")}`);
  }
  lines.push(`<${escapeSlack(payload.url)}|${alert ? "Open the alert" : "Open the dashboard"}>`);
  return lines.join("\n");
}

export async function sendSlack(target: { url: string }, payload: NotificationPayload, timeoutMs?: number): Promise<SendResult> {
  return postJson(target.url, JSON.stringify({ text: slackText(payload) }), {}, timeoutMs);
}
