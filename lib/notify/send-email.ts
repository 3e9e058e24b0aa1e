// Email channels: one message to the channel's recipients through SMTP_URL, as text and HTML.
import nodemailer from "nodemailer";
import type { NotificationPayload } from "../alerts/types";
import { env } from "../env";
import { figuresText, headline, issueTexts, oneLine } from "./format";
import { failed, SEND_TIMEOUT_MS, succeeded, withTimeout, type SendResult } from "./send-result";

export type SmtpSettings = { url?: string; from?: string };

/** SMTP_URL and SMTP_FROM. */
export function smtpSettings(): SmtpSettings {
  return { url: env().SMTP_URL, from: env().SMTP_FROM };
}

/** Why email cannot be sent, or null when SMTP is configured. */
export function smtpProblem(smtp: SmtpSettings = smtpSettings()): string | null {
  if (!smtp.url) return "SMTP_URL is not set";
  if (!smtp.from) return "SMTP_FROM is not set";
  return null;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export function emailSubject(payload: NotificationPayload): string {
  return `[Alert] ${headline(payload)}`;
}

type Section = { label: string; lines: string[] };

/** The message's parts, as plain text (each format escapes them). */
function sections(payload: NotificationPayload): Section[] {
  const { alert } = payload;
  if (!alert) return [];
  const issues = issueTexts(alert.figures);
  return [
    { label: "Rule", lines: [oneLine(alert.ruleName)] },
    { label: "Website", lines: [oneLine(alert.websiteName ?? alert.websiteId)] },
    { label: "Figures", lines: [figuresText(alert.figures)] },
    ...(issues.length > 0 ? [{ label: "Issues", lines: issues }] : []),
  ];
}

export function emailText(payload: NotificationPayload): string {
  const parts = [headline(payload), "", payload.summary, ""];
  for (const section of sections(payload)) {
    parts.push(section.lines.length === 1 ? `${section.label}: ${section.lines[0]}` : `${section.label}:\n${section.lines.map((line) => `- ${line}`).join("\n")}`);
  }
  parts.push("", `Open: ${payload.url}`);
  return parts.join("\n");
}

export function emailHtml(payload: NotificationPayload): string {
  const rows = sections(payload)
    .map(
      (section) =>
        `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0">${escapeHtml(section.label)}</th><td style="padding:4px 0">${section.lines.map(escapeHtml).join("<br>")}</td></tr>`,
    )
    .join("");
  return [
    `<div style="font-family:system-ui,sans-serif;font-size:14px;line-height:1.5">`,
    `<h2 style="font-size:18px;margin:0 0 8px">${escapeHtml(headline(payload))}</h2>`,
    `<p style="margin:0 0 12px">${escapeHtml(payload.summary)}</p>`,
    rows ? `<table style="border-collapse:collapse;margin:0 0 12px">${rows}</table>` : "",
    `<p><a href="${escapeHtml(payload.url)}">${payload.alert ? "Open the alert" : "Open the dashboard"}</a></p>`,
    `</div>`,
  ].join("");
}

export async function sendEmail(
  recipients: string[],
  payload: NotificationPayload,
  smtp: SmtpSettings = smtpSettings(),
  timeoutMs = SEND_TIMEOUT_MS,
): Promise<SendResult> {
  const problem = smtpProblem(smtp);
  if (problem) return failed(problem);
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await withTimeout(
      transport.sendMail({
        from: smtp.from,
        to: recipients,
        subject: emailSubject(payload),
        text: emailText(payload),
        html: emailHtml(payload),
      }),
      timeoutMs,
    );
    return succeeded(replyCode(info.response));
  } catch (error) {
    const code = (error as { responseCode?: unknown }).responseCode;
    const message = error instanceof Error ? error.message : String(error);
    return failed(message, typeof code === "number" ? code : null);
  } finally {
    transport.close();
  }
}

/** The SMTP reply code at the start of the server's last answer ("250 OK: queued"). */
function replyCode(response: unknown): number | null {
  const match = typeof response === "string" ? /^(\d{3})/.exec(response) : null;
  return match ? Number(match[1]) : null;
}
