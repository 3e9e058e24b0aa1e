// The three senders against real local receivers: an HTTP server that checks the signature and
// an SMTP server that records messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationPayload } from "../alerts/types";
import { mimeHeader, mimePart, startHttpReceiver, startSmtpReceiver, verifySignature, type HttpReceiver, type SmtpReceiver } from "../testing/receivers";
import { emailHtml, sendEmail } from "./send-email";
import { sendSlack, slackText } from "./send-slack";
import { sendWebhook, signatureHeader } from "./send-webhook";

const hostile = `<script>alert("x")</script> & <@U123> <!channel>`;

function payload(overrides: Partial<NotificationPayload> = {}): NotificationPayload {
  return {
    reason: "fired",
    alert: {
      id: "42",
      title: `TypeError ${hostile}`,
      state: "firing",
      ruleId: "rule-1",
      ruleName: "Checkout errors",
      websiteId: "site-1",
      websiteName: "Shop & Co",
      firedAt: "2026-12-01T10:00:00.000Z",
      figures: {
        condition: "event_count",
        value: 120,
        threshold: 100,
        windowMinutes: 5,
        baseline: null,
        factor: null,
        series: [{ at: "2026-12-01T10:00:00.000Z", count: 120 }],
        issues: [{ id: "7", title: `Cannot read ${hostile}`, kind: "js-error", events: 80 }],
        evaluatedAt: "2026-12-01T10:00:00.000Z",
      },
    },
    url: "http://monitor.test/alerts/42?a=1&b=2",
    summary: `120 events of ${hostile} in 5 minutes, over the threshold of 100.`,
    sentAt: "2026-12-01T10:00:01.000Z",
    ...overrides,
  };
}

let receiver: HttpReceiver;
let smtp: SmtpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  smtp = await startSmtpReceiver();
});

afterAll(async () => {
  await receiver.close();
  await smtp.close();
});

describe("webhook", () => {
  it("POSTs the payload as JSON, signed with the channel secret, with the delivery id", async () => {
    receiver.mode = "ok";
    receiver.secret = "whsec-test";
    const sent = payload();
    const result = await sendWebhook({ url: receiver.url, secret: "whsec-test" }, sent, "123");
    expect(result).toEqual({ ok: true, statusCode: 200, error: null });
    const request = receiver.received.at(-1)!;
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["lsm-delivery"]).toBe("123");
    expect(request.signatureValid).toBe(true);
    expect(request.json).toEqual(sent);
    // Another secret, or a changed body, does not verify.
    expect(verifySignature(request.headers["lsm-signature"] as string, request.body, "other")).toBe(false);
    expect(verifySignature(request.headers["lsm-signature"] as string, `${request.body} `, "whsec-test")).toBe(false);
  });

  it("signs t.body with HMAC-SHA256 in hex", () => {
    const at = new Date("2026-12-01T00:00:00Z");
    // echo -n '1796083200.{}' | openssl dgst -sha256 -hmac key
    expect(signatureHeader("key", "{}", at)).toBe("t=1796083200,v1=f11aaa924f32bb4d04afeca906739bfe55247ffb5a8d674ee82bd02005ba6b3a");
  });

  it("reports a non-2xx answer with its status and a refused connection by its code, without throwing", async () => {
    receiver.mode = "fail";
    const refused = await sendWebhook({ url: receiver.url, secret: "s" }, payload(), "1");
    expect(refused).toEqual({ ok: false, statusCode: 500, error: "HTTP 500: receiver says no" });
    const closed = await startHttpReceiver();
    await closed.close();
    const unreachable = await sendWebhook({ url: `${closed.url}?token=secret-token`, secret: "s" }, payload(), "1");
    expect(unreachable.ok).toBe(false);
    expect(unreachable.error).toBe("Request failed (ECONNREFUSED)");
  });

  it("gives up on a receiver that does not answer", async () => {
    receiver.mode = "hang";
    const started = Date.now();
    const result = await sendWebhook({ url: receiver.url, secret: "s" }, payload(), "1", 500);
    expect(result).toEqual({ ok: false, statusCode: null, error: "Timed out after 0.5 s" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("slack", () => {
  it("sends readable mrkdwn with the title, rule, summary, figures, issues and a link", async () => {
    receiver.mode = "ok";
    const result = await sendSlack({ url: receiver.url }, payload());
    expect(result.ok).toBe(true);
    const body = receiver.received.at(-1)!.json as { text: string };
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toBe(
      [
        ":rotating_light: *TypeError &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;@U123&gt; &lt;!channel&gt;*",
        "Rule: Checkout errors · Website: Shop &amp; Co",
        "120 events of &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;@U123&gt; &lt;!channel&gt; in 5 minutes, over the threshold of 100.",
        "*Figures:* 120 events in 5 minutes (threshold 100)",
        "*Issues:*\n• Cannot read &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;@U123&gt; &lt;!channel&gt; (js-error): 80 events",
        "<http://monitor.test/alerts/42?a=1&amp;b=2|Open the alert>",
      ].join("\n"),
    );
  });

  it("words each reason and a spike's figures", () => {
    const base = payload();
    const spike = payload({
      reason: "resolved",
      alert: { ...base.alert!, figures: { ...base.alert!.figures, condition: "spike", windowMinutes: 60, baseline: 9.46, factor: 3, threshold: 29 } },
    });
    const text = slackText(spike);
    expect(text.startsWith(":white_check_mark: *Resolved: TypeError")).toBe(true);
    expect(text).toContain("*Figures:* 120 events in 1 hour (3× a baseline of 9.5, threshold 29)");
    const test = slackText(payload({ reason: "test", alert: null, summary: "It works." }));
    expect(test).toBe([":wave: *Test notification*", "It works.", "<http://monitor.test/alerts/42?a=1&amp;b=2|Open the dashboard>"].join("\n"));
  });
});

describe("email", () => {
  it("sends text and HTML with everything escaped, a subject by reason, and the link", async () => {
    const result = await sendEmail(["ops@example.test", "dev@example.test"], payload({ reason: "resolved" }), {
      url: smtp.url,
      from: "Monitor <monitor@example.test>",
    });
    expect(result).toEqual({ ok: true, statusCode: 250, error: null });
    const mail = smtp.messages.at(-1)!;
    expect(mail.from).toBe("monitor@example.test");
    expect(mail.to).toEqual(["ops@example.test", "dev@example.test"]);
    expect(mimeHeader(mail.raw, "Subject")).toBe(`[Alert] Resolved: TypeError ${hostile}`);
    const text = mimePart(mail.raw, "text/plain")!;
    expect(text).toContain("Rule: Checkout errors");
    expect(text).toContain("Figures: 120 events in 5 minutes (threshold 100)");
    expect(text).toContain("Open: http://monitor.test/alerts/42?a=1&b=2");
    const html = mimePart(mail.raw, "text/html")!;
    expect(html).toBe(emailHtml(payload({ reason: "resolved" })));
    expect(html).not.toContain("<script>");
    expect(html).toContain("TypeError &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;@U123&gt;");
    expect(html).toContain("Shop &amp; Co");
    expect(html).toContain('<a href="http://monitor.test/alerts/42?a=1&amp;b=2">Open the alert</a>');
  });

  it("fails clearly without SMTP_URL, and reports an unreachable server", async () => {
    expect(await sendEmail(["ops@example.test"], payload(), {})).toEqual({ ok: false, statusCode: null, error: "SMTP_URL is not set" });
    expect(await sendEmail(["ops@example.test"], payload(), { url: smtp.url })).toEqual({ ok: false, statusCode: null, error: "SMTP_FROM is not set" });
    const result = await sendEmail(["ops@example.test"], payload(), { url: "smtp://127.0.0.1:1", from: "m@example.test" }, 2_000);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
