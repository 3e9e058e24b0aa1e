// Integration: triage through the real server and PostgreSQL, and ingest's state changes.
import pg from "pg";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTestServer, TEST_TOKEN } from "../testing/api-server";
import { delivery, postWebhook } from "../testing/deliveries";
import { call, signedInTeam, type SignedInUser } from "../testing/users";

const server = apiTestServer();
const SITE = `site-${randomUUID().slice(0, 8)}`;
const OTHER_SITE = `other-${randomUUID().slice(0, 8)}`;
let pool: pg.Pool;
let owner: { cookie: string; id: string };
let member: SignedInUser;
let viewer: SignedInUser;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  ({ owner, member, viewer } = await signedInTeam(server.url));
});

afterAll(async () => {
  await pool?.end();
});

/** Sends `n` JS errors with this message (one issue) from `visitors` visitors; returns the issue's id. */
async function send(message: string, n = 1, { site = SITE, visitors = 1 } = {}): Promise<string> {
  for (let i = 0; i < n; i++) {
    const d = delivery("js-error", (d) => {
      d.website_id = site;
      d.payload.value = message;
      d.created_at = Math.floor(Date.now() / 1000);
      delete d.payload.time;
      d.payload.visitor.id = `visitor-${i % visitors}`;
    });
    const reply = await postWebhook(server.url, d.body);
    expect(reply.status).toBe(200);
  }
  const { rows } = await pool.query("SELECT id::text FROM issues WHERE website_id = $1 AND title = $2", [site, message]);
  expect(rows).toHaveLength(1);
  return rows[0].id;
}

async function issueRow(id: string) {
  const { rows } = await pool.query(
    "SELECT status, ignore_kind, ignore_until_events, event_count, visitor_count, assignee_id FROM issues WHERE id = $1::bigint",
    [id],
  );
  return rows[0];
}

const patch = (id: string, body: unknown, who: { cookie: string } | { token: string } = { cookie: member.cookie }) =>
  call(server.url, `/api/issues/${id}`, { method: "PATCH", ...who, body });

async function activity(id: string) {
  const reply = await call(server.url, `/api/issues/${id}/activity`, { cookie: viewer.cookie });
  expect(reply.status).toBe(200);
  return reply.json.activity as { actor: { id: string | null; name: string }; action: string; details: Record<string, unknown> }[];
}

describe("issue states", () => {
  it("resolve, then a new event: regressed, logged as system", async () => {
    const id = await send("Resolve me then regress");
    const resolved = await patch(id, { status: "resolved" });
    expect(resolved.status).toBe(200);
    expect(resolved.json.issue.status).toBe("resolved");
    expect((await issueRow(id)).status).toBe("resolved");

    await send("Resolve me then regress");
    expect(await issueRow(id)).toMatchObject({ status: "regressed", event_count: 2 });
    const log = await activity(id);
    expect(log.map((a) => [a.actor.name, a.action, a.details.from, a.details.to])).toEqual([
      [member.name, "status", "open", "resolved"],
      ["system", "status", "resolved", "regressed"],
    ]);
    expect(log[0]!.actor.id).toBe(member.id);
    expect(log[1]!.actor.id).toBeNull();

    // More events keep it regressed, and log nothing more.
    await send("Resolve me then regress", 2);
    expect((await issueRow(id)).status).toBe("regressed");
    expect(await activity(id)).toHaveLength(2);
  });

  it("ignored until 3 more events: open again with the 4th, not before", async () => {
    const id = await send("Ignore for three", 2);
    const reply = await patch(id, { status: "ignored", ignore: { kind: "events", events: 3 } });
    expect(reply.status).toBe(200);
    expect(reply.json.issue.ignore).toEqual({ kind: "events", until: null, untilEvents: 5 });
    await send("Ignore for three", 3);
    expect(await issueRow(id)).toMatchObject({ status: "ignored", event_count: 5, ignore_until_events: 5 });
    await send("Ignore for three");
    expect(await issueRow(id)).toMatchObject({ status: "open", event_count: 6, ignore_kind: null, ignore_until_events: null });
    expect((await activity(id)).at(-1)).toMatchObject({ actor: { name: "system" }, details: { from: "ignored", to: "open" } });
  });

  it("ignored until a date: stays ignored before it; shown open and reopened by an event after it", async () => {
    const id = await send("Ignore until a date");
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await patch(id, { status: "ignored", ignore: { kind: "until", until } })).status).toBe(200);
    await send("Ignore until a date");
    expect((await issueRow(id)).status).toBe("ignored");
    // The date passes (moved into the past, as time would).
    await pool.query("UPDATE issues SET ignore_until = now() - interval '1 minute' WHERE id = $1::bigint", [id]);
    const shown = await call(server.url, `/api/issues/${id}?websiteId=${SITE}`, { cookie: viewer.cookie });
    expect(shown.json.issue.status).toBe("open");
    await send("Ignore until a date");
    expect(await issueRow(id)).toMatchObject({ status: "open", ignore_kind: null });
  });

  it("ignored forever stays ignored; reopen opens it", async () => {
    const id = await send("Ignore forever", 1);
    expect((await patch(id, { status: "ignored", ignore: { kind: "forever" } })).status).toBe(200);
    await send("Ignore forever", 3);
    expect((await issueRow(id)).status).toBe("ignored");
    expect((await patch(id, { status: "open" })).json.issue.status).toBe("open");
    // Setting the state it has changes nothing and logs nothing.
    const before = (await activity(id)).length;
    expect((await patch(id, { status: "open" })).status).toBe(200);
    expect(await activity(id)).toHaveLength(before);
  });

  it("the list filters by state and shows state and assignee", async () => {
    const id = await send("Listed and assigned");
    expect((await patch(id, { status: "resolved", assigneeId: member.id })).status).toBe(200);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const list = await server.get(`/api/issues?websiteId=${SITE}&from=${from}&status=resolved`);
    expect(list.status).toBe(200);
    expect(list.json.issues.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(list.json.issues[0]).toMatchObject({ status: "resolved", assignee: { id: member.id, name: member.name } });
    expect((await server.get(`/api/issues?websiteId=${SITE}&from=${from}&status=bogus`)).status).toBe(400);
  });
});

describe("assignment and comments", () => {
  it("assigns and unassigns, logging both", async () => {
    const id = await send("Assign me");
    expect((await patch(id, { assigneeId: member.id })).json.issue.assignee).toEqual({ id: member.id, name: member.name });
    expect((await patch(id, { assigneeId: null })).json.issue.assignee).toBeNull();
    expect((await activity(id)).map((a) => [a.action, (a.details.from as { id: string } | null)?.id ?? null, (a.details.to as { id: string } | null)?.id ?? null])).toEqual([
      ["assign", null, member.id],
      ["assign", member.id, null],
    ]);
    const unknown = await patch(id, { assigneeId: "nobody" });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe("bad_request");
  });

  it("keeps a comment thread, text as sent, and logs it", async () => {
    const id = await send("Comment on me");
    const text = `<script>alert("x")</script> & more`;
    const posted = await call(server.url, `/api/issues/${id}/comments`, { method: "POST", cookie: member.cookie, body: { body: text } });
    expect(posted.status).toBe(201);
    const list = await call(server.url, `/api/issues/${id}/comments`, { cookie: viewer.cookie });
    expect(list.json.comments).toMatchObject([{ body: text, author: { id: member.id, name: member.name } }]);
    expect((await activity(id)).map((a) => a.action)).toEqual(["comment"]);
    const long = await call(server.url, `/api/issues/${id}/comments`, { method: "POST", cookie: member.cookie, body: { body: "x".repeat(2001) } });
    expect(long.status).toBe(400);
    const empty = await call(server.url, `/api/issues/${id}/comments`, { method: "POST", cookie: member.cookie, body: { body: "   " } });
    expect(empty.status).toBe(400);
  });
});

describe("merge", () => {
  it("routes the source's new events to the target, with exact counts and rollups", async () => {
    const source = await send("Merge source", 3, { visitors: 2 });
    const target = await send("Merge target", 2, { visitors: 1 });
    const merged = await call(server.url, `/api/issues/${source}/merge`, { method: "POST", cookie: member.cookie, body: { targetId: target } });
    expect(merged.status).toBe(200);
    expect(merged.json.issue.mergedInto).toBe(target);

    await send("Merge source", 4, { visitors: 3 });
    // The source keeps its own 3; the target counts its 2 and the 4 new ones.
    expect(await issueRow(source)).toMatchObject({ event_count: 3, visitor_count: 2 });
    expect(await issueRow(target)).toMatchObject({ event_count: 6, visitor_count: 3 });
    const { rows } = await pool.query(
      `SELECT issue_id::text, count(*)::int AS n FROM events WHERE issue_id = ANY($1::bigint[]) GROUP BY 1 ORDER BY 1`,
      [[source, target]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.issue_id, r.n]))).toEqual({ [source]: 3, [target]: 6 });
    for (const rollup of ["rollup_issue_1h", "rollup_issue_1d"]) {
      const { rows: sums } = await pool.query(`SELECT issue_id::text, sum(events)::int AS n FROM ${rollup} WHERE issue_id = ANY($1::bigint[]) GROUP BY 1`, [
        [source, target],
      ]);
      expect(Object.fromEntries(sums.map((r) => [r.issue_id, r.n]))).toEqual({ [source]: 3, [target]: 6 });
    }
    const { rows: pairs } = await pool.query(`SELECT count(*)::int AS n FROM issue_visitors WHERE issue_id = $1::bigint`, [target]);
    expect(pairs[0].n).toBe(3);

    // Merged sources leave the list; the target says what was merged into it.
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const list = await server.get(`/api/issues?websiteId=${SITE}&from=${from}&q=Merge`);
    expect(list.json.issues.map((i: { id: string }) => i.id)).toEqual([target]);
    expect((await server.get(`/api/issues/${target}?websiteId=${SITE}`)).json.issue.mergedFrom).toEqual([source]);
    expect((await activity(source)).map((a) => [a.action, a.details])).toEqual([["merge", { into: target }]]);
  });

  it("a chain of merges sends events to the last target", async () => {
    const a = await send("Chain A");
    const b = await send("Chain B");
    const c = await send("Chain C");
    const merge = (s: string, t: string) => call(server.url, `/api/issues/${s}/merge`, { method: "POST", token: TEST_TOKEN, body: { targetId: t } });
    expect((await merge(a, b)).status).toBe(200);
    expect((await merge(b, c)).status).toBe(200);
    await send("Chain A", 2);
    expect((await issueRow(c)).event_count).toBe(3);
    expect((await merge(a, c)).status).toBe(409);
    expect((await merge(c, b)).status).toBe(409);
    expect((await merge(c, c)).status).toBe(400);
    const other = await send("Other website", 1, { site: OTHER_SITE });
    expect((await merge(c, other)).status).toBe(400);
    expect((await merge(c, "123")).status).toBe(404);
  });
});

describe("bulk", () => {
  it("resolves, ignores and assigns several issues at once, all or none", async () => {
    const ids = [await send("Bulk one"), await send("Bulk two"), await send("Bulk three")];
    const bulk = (body: unknown) => call(server.url, "/api/issues/bulk", { method: "POST", cookie: member.cookie, body });
    expect((await bulk({ ids, action: "resolve" })).json).toEqual({ changed: 3 });
    for (const id of ids) expect((await issueRow(id)).status).toBe("resolved");
    expect((await bulk({ ids, action: "assign", assigneeId: owner.id })).json).toEqual({ changed: 3 });
    expect((await bulk({ ids: [ids[0]], action: "ignore", ignore: { kind: "forever" } })).json).toEqual({ changed: 1 });
    // One unknown id: nothing changes.
    const missing = await bulk({ ids: [...ids, "42"], action: "reopen" });
    expect(missing.status).toBe(404);
    expect((await issueRow(ids[1]!)).status).toBe("resolved");
    expect((await bulk({ ids, action: "reopen" })).json).toEqual({ changed: 3 });
    for (const id of ids) expect(await issueRow(id)).toMatchObject({ status: "open", assignee_id: owner.id });
  });

  it("answers 400 for bad bodies", async () => {
    const id = await send("Bulk bad");
    const bulk = (body: unknown) => call(server.url, "/api/issues/bulk", { method: "POST", cookie: member.cookie, body });
    for (const body of [
      {},
      { ids: [], action: "resolve" },
      { ids: [id], action: "explode" },
      { ids: [id], action: "ignore" },
      { ids: ["abc"], action: "resolve" },
      { ids: Array.from({ length: 101 }, () => id), action: "resolve" },
    ]) {
      const reply = await bulk(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json.error.code).toBe("bad_request");
    }
  });
});

describe("validation and permissions", () => {
  it("answers 400 for bad state changes", async () => {
    const id = await send("Bad changes");
    for (const body of [
      {},
      { status: "regressed" },
      { status: "ignored" },
      { status: "resolved", ignore: { kind: "forever" } },
      { status: "ignored", ignore: { kind: "until", until: "2001-01-01T00:00:00Z" } },
      { status: "ignored", ignore: { kind: "events", events: 0 } },
    ]) {
      const reply = await patch(id, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json.error.code).toBe("bad_request");
    }
    const notJson = await call(server.url, `/api/issues/${id}`, { method: "PATCH", cookie: member.cookie, body: "status=resolved", headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    expect((await patch("999", { status: "resolved" })).status).toBe(404);
    expect((await patch("not-an-id", { status: "resolved" })).status).toBe(404);
  });

  it("401 without credentials, 403 for viewers and cross-site writes", async () => {
    const id = await send("Permissions");
    const writes: [string, string, unknown][] = [
      ["PATCH", `/api/issues/${id}`, { status: "resolved" }],
      ["POST", "/api/issues/bulk", { ids: [id], action: "resolve" }],
      ["POST", `/api/issues/${id}/merge`, { targetId: id }],
      ["POST", `/api/issues/${id}/comments`, { body: "hi" }],
    ];
    for (const [method, path, body] of writes) {
      expect((await call(server.url, path, { method, body })).status, path).toBe(401);
      expect((await call(server.url, path, { method, body, cookie: viewer.cookie })).status, path).toBe(403);
      expect((await call(server.url, path, { method, body, cookie: member.cookie, origin: "https://evil.example" })).status, path).toBe(403);
    }
    for (const path of [`/api/issues/${id}/comments`, `/api/issues/${id}/activity`]) {
      expect((await call(server.url, path)).status).toBe(401);
      expect((await call(server.url, path, { cookie: viewer.cookie })).status).toBe(200);
    }
    expect((await issueRow(id)).status).toBe("open");
  });
});
