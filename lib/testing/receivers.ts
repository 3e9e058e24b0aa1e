// Test receivers for notifications: an HTTP endpoint that checks webhook signatures and can
// fail or hang, an SMTP server that records messages (both listen on 127.0.0.1), and a URL that
// refuses connections.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { freePort } from "./server";

export type ReceivedRequest = {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** Whether LSM-Signature matched the body under the receiver's secret (null: no secret set). */
  signatureValid: boolean | null;
  at: number;
};

export type ReceiverMode = "ok" | "fail" | "hang";

export type HttpReceiver = {
  url: string;
  received: ReceivedRequest[];
  /** "ok" answers 200, "fail" 500, "hang" never answers. */
  mode: ReceiverMode;
  /** The webhook channel's signing secret, to check signatures with. */
  secret: string | null;
  close(): Promise<void>;
};

/** Checks `t=<seconds>,v1=<hex>` as a receiver would: the HMAC of "<t>.<body>", and a fresh t. */
export function verifySignature(header: string | undefined, body: string, secret: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startHttpReceiver(mode: ReceiverMode = "ok"): Promise<HttpReceiver> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const signature = request.headers["lsm-signature"];
      receiver.received.push({
        path: request.url ?? "/",
        headers: request.headers,
        body,
        json,
        signatureValid: receiver.secret === null ? null : verifySignature(typeof signature === "string" ? signature : undefined, body, receiver.secret),
        at: Date.now(),
      });
      if (receiver.mode === "hang") return;
      response.statusCode = receiver.mode === "ok" ? 200 : 500;
      response.end(receiver.mode === "ok" ? "ok" : "receiver says no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: HttpReceiver = {
    url: `http://127.0.0.1:${port}/hook`,
    received: [],
    mode,
    secret: null,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return receiver;
}

/** A URL on 127.0.0.1 where nothing listens: every connection to it is refused. */
export async function refusingUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/hook`;
}

export type ReceivedMail = { from: string; to: string[]; raw: string };

export type SmtpReceiver = { url: string; messages: ReceivedMail[]; close(): Promise<void> };

/** A plain SMTP server (no TLS, any login or none) that keeps every message. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: "test" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A MIME part's body by content type, quoted-printable or base64 decoded (enough for nodemailer's messages). */
export function mimePart(raw: string, contentType: string): string | null {
  const start = raw.search(new RegExp(`^Content-Type: ${contentType.replace("/", "\\/")}`, "mi"));
  if (start < 0) return null;
  const part = raw.slice(start);
  const headerEnd = part.indexOf("\r\n\r\n");
  const headers = part.slice(0, headerEnd);
  const body = part.slice(headerEnd + 4).split(/\r\n--/, 1)[0]!;
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    return decodeURIComponent(body.replace(/=\r\n/g, "").replace(/%/g, "%25").replace(/=([0-9A-F]{2})/gi, "%$1"));
  }
  return body;
}

/** A header of a message, unfolded, with RFC 2047 encoded words decoded. */
export function mimeHeader(raw: string, name: string): string | null {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (line === undefined) return null;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeURIComponent(text.replace(/_/g, " ").replace(/%/g, "%25").replace(/=([0-9A-F]{2})/gi, "%$1")),
    );
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
