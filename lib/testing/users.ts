// Test helpers for accounts and access: talk HTTP to a running app server (see server.ts) and
// create users only through the product's own paths (setup, invitations, sign-in, tokens).
import { randomBytes, randomUUID } from "node:crypto";
import type { Role } from "../auth/roles";

export type Reply = { status: number; json: any; text: string; headers: Headers };

export type RequestOptions = {
  method?: string;
  /** A Cookie header (from signIn). */
  cookie?: string;
  /** An API token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** An object is sent as JSON; a string or bytes as they are (set content-type in headers). */
  body?: unknown;
  /**
   * The Origin header. By default a state-changing request (not GET/HEAD) carries the
   * server's own origin, as a browser on our pages would; null sends none.
   */
  origin?: string | null;
  headers?: Record<string, string>;
};

/** One HTTP request to the app; redirects are not followed. */
export async function call(baseUrl: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = {};
  const origin = options.origin === undefined ? (method === "GET" || method === "HEAD" ? null : baseUrl) : options.origin;
  if (origin !== null) headers.origin = origin;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (typeof options.body === "string" || options.body instanceof Uint8Array) {
    body = options.body as string | Uint8Array<ArrayBuffer>;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  Object.assign(headers, options.headers);
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** A password no test shares with another (and easy to search for in logs). */
export function newPassword(): string {
  return `pw-${randomBytes(12).toString("hex")}`;
}

export function newEmail(label = "user"): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export type TestUser = { id: string; name: string; email: string; password: string; role: Role };
export type SignedInUser = TestUser & { cookie: string };

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((line) => line.split(";", 1)[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

/** First-run setup through POST /api/setup: the owner. */
export async function setupOwner(baseUrl: string, input: Partial<Omit<TestUser, "id" | "role">> = {}): Promise<TestUser> {
  const owner = { name: input.name ?? "Owner", email: input.email ?? newEmail("owner"), password: input.password ?? newPassword() };
  const reply = await call(baseUrl, "/api/setup", { method: "POST", body: owner });
  if (reply.status !== 201) throw new Error(`POST /api/setup answered ${reply.status}: ${reply.text}`);
  return { ...owner, id: reply.json.user.id, role: "owner" };
}

/** Raw email sign-in: the reply and the Cookie header it set (empty when refused). */
export async function trySignIn(baseUrl: string, email: string, password: string): Promise<Reply & { cookie: string }> {
  const reply = await call(baseUrl, "/api/auth/sign-in/email", { method: "POST", body: { email, password } });
  return { ...reply, cookie: cookieHeader(reply.headers) };
}

/** Signs in and returns the Cookie header of the new session; throws if refused. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const reply = await trySignIn(baseUrl, email, password);
  if (reply.status !== 200 || !reply.cookie.includes("better-auth.session_token=")) {
    throw new Error(`sign-in for ${email} answered ${reply.status}: ${reply.text}`);
  }
  return reply.cookie;
}

/** Credentials of an admin (or owner): a session cookie or an API token. */
export type AdminAuth = { cookie: string } | { token: string };

/** POST /api/invitations; returns the link's token. */
export async function invite(baseUrl: string, admin: AdminAuth, role: Exclude<Role, "owner">): Promise<string> {
  const reply = await call(baseUrl, "/api/invitations", { method: "POST", ...admin, body: { role } });
  if (reply.status !== 201) throw new Error(`POST /api/invitations answered ${reply.status}: ${reply.text}`);
  return new URL(reply.json.link).pathname.split("/").pop()!;
}

/** Invites a user of `role` and accepts the invitation as them. */
export async function addUser(
  baseUrl: string,
  admin: AdminAuth,
  role: Exclude<Role, "owner">,
  input: Partial<Omit<TestUser, "id" | "role">> = {},
): Promise<TestUser> {
  const token = await invite(baseUrl, admin, role);
  const user = { name: input.name ?? `A ${role}`, email: input.email ?? newEmail(role), password: input.password ?? newPassword() };
  const reply = await call(baseUrl, "/api/invitations/accept", { method: "POST", body: { token, ...user } });
  if (reply.status !== 201) throw new Error(`POST /api/invitations/accept answered ${reply.status}: ${reply.text}`);
  return { ...user, id: reply.json.user.id, role };
}

/** addUser, then signIn. */
export async function addSignedInUser(baseUrl: string, admin: AdminAuth, role: Exclude<Role, "owner">): Promise<SignedInUser> {
  const user = await addUser(baseUrl, admin, role);
  return { ...user, cookie: await signIn(baseUrl, user.email, user.password) };
}

export type SignedInTeam = { owner: { id: string; cookie: string }; member: SignedInUser; viewer: SignedInUser };

/** The first-run owner, and a member and a viewer they invited, each signed in. */
export async function signedInTeam(baseUrl: string): Promise<SignedInTeam> {
  const o = await setupOwner(baseUrl);
  const owner = { id: o.id, cookie: await signIn(baseUrl, o.email, o.password) };
  const member = await addSignedInUser(baseUrl, { cookie: owner.cookie }, "member");
  const viewer = await addSignedInUser(baseUrl, { cookie: owner.cookie }, "viewer");
  return { owner, member, viewer };
}

/** POST /api/tokens: the plain token (shown once) and its record. */
export async function createApiToken(
  baseUrl: string,
  admin: AdminAuth,
  role: Exclude<Role, "owner">,
  name = `${role} token`,
): Promise<{ token: string; id: string; prefix: string; record: any }> {
  const reply = await call(baseUrl, "/api/tokens", { method: "POST", ...admin, body: { name, role } });
  if (reply.status !== 201) throw new Error(`POST /api/tokens answered ${reply.status}: ${reply.text}`);
  return { token: reply.json.token, id: reply.json.record.id, prefix: reply.json.record.prefix, record: reply.json.record };
}
