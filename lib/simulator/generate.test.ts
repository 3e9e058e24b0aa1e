import { describe, expect, it } from "vitest";
import { EVENT_KINDS, createSimulation, mulberry32, propertyMatchesSuffix, type EventKind, type SimulatedDelivery } from "./generate";

const NOW = new Date("2025-06-01T12:00:00.000Z");

function counterUuid(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;
}

function run(n: number, seed: number, extra: Parameters<typeof createSimulation>[0] = {}): SimulatedDelivery[] {
  const sim = createSimulation({ seed, ...extra });
  const out: SimulatedDelivery[] = [];
  for (let i = 0; i < n; i++) out.push(sim.next(new Date(NOW.getTime() + i * 50)));
  return out;
}

interface ParsedBody {
  message_id: string;
  webhook_id: string;
  webhook_type: string;
  api_version: string;
  account_id: string;
  website_id: string;
  created_at: number;
  payload: {
    event_name: EventKind;
    time: number;
    visitor: { id: string; name: string; email: string; params: { name: string; value: unknown }[]; geolocation: Record<string, string> };
    [key: string]: unknown;
  };
}

const parse = (d: SimulatedDelivery) => JSON.parse(d.body) as ParsedBody;

describe("mulberry32", () => {
  it("is deterministic and in [0, 1)", () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe("createSimulation", () => {
  it("produces identical deliveries for the same seed (message ids injected)", () => {
    const a = run(2000, 7, { randomUUID: counterUuid() });
    const b = run(2000, 7, { randomUUID: counterUuid() });
    expect(a).toEqual(b);
    const c = run(2000, 8, { randomUUID: counterUuid() });
    expect(c.map((d) => d.body)).not.toEqual(a.map((d) => d.body));
  });

  it("with the default crypto.randomUUID, differs between runs only in message_id", () => {
    const strip = (d: SimulatedDelivery) => {
      const { message_id: _ignored, ...rest } = parse(d);
      return rest;
    };
    const a = run(500, 3);
    const b = run(500, 3);
    expect(a.map(strip)).toEqual(b.map(strip));
    expect(new Set(a.map((d) => d.messageId)).size).toBeGreaterThan(450);
    expect(a.some((d, i) => d.messageId === b[i]?.messageId)).toBe(false);
  });

  it("has stable website ids like the docs and one or two accounts", () => {
    const sim = createSimulation({ seed: 1 });
    expect(sim.websites.map((w) => w.id)).toEqual(["8d53ea3", "2f9c4e1", "c71a0b6"]);
    expect(createSimulation({ seed: 99 }).websites).toEqual(sim.websites);
    expect(new Set(sim.websites.map((w) => w.accountId)).size).toBeLessThanOrEqual(2);
    const five = createSimulation({ seed: 1, websites: 5 }).websites;
    expect(five).toHaveLength(5);
    expect(new Set(five.map((w) => w.id)).size).toBe(5);
    for (const w of five) expect(w.id).toMatch(/^[0-9a-f]{7}$/);
  });

  it("every body parses and has the required fields", () => {
    const deliveries = run(3000, 11);
    const sim = createSimulation({ seed: 11 });
    const siteIds = new Set(sim.websites.map((w) => w.id));
    for (const d of deliveries) {
      const b = parse(d);
      expect(b.message_id).toBe(d.messageId);
      expect(b.message_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.webhook_type).toBe("session.event");
      expect(b.api_version).toBe("v1.0");
      expect(typeof b.webhook_id).toBe("string");
      expect(typeof b.account_id).toBe("string");
      expect(siteIds.has(b.website_id)).toBe(true);
      expect(b.website_id).toBe(d.websiteId);
      expect(Number.isInteger(b.created_at)).toBe(true);
      expect(EVENT_KINDS).toContain(b.payload.event_name);
      expect(b.payload.event_name).toBe(d.kind);
      expect(typeof b.payload.visitor.id).toBe("string");
      expect(b.payload.visitor.id.length).toBeGreaterThan(0);
      expect(typeof b.payload.visitor.geolocation.country_code).toBe("string");
      expect(Array.isArray(b.payload.visitor.params)).toBe(true);

      // time: milliseconds mostly, deciseconds now and then; never after created_at.
      const t = b.payload.time;
      const ms = t < 1e11 ? t * 100 : t;
      expect(ms).toBeLessThanOrEqual((b.created_at + 1) * 1000);
      expect(ms).toBeGreaterThan((b.created_at - 600) * 1000);

      const p = b.payload;
      switch (p.event_name) {
        case "JSError":
          expect(typeof p.value).toBe("string");
          expect(Number.isInteger(p.count)).toBe(true);
          break;
        case "NetError":
          expect(typeof p.method).toBe("string");
          expect(String(p.url)).toMatch(/^https:\/\//);
          expect(p.status === 0 || (Number(p.status) >= 400 && Number(p.status) < 600)).toBe(true);
          break;
        case "ErrorClick":
          expect(typeof (p.message ?? p.messsage)).toBe("string");
          break;
        case "RageClick":
          expect(Number(p.clicks)).toBeGreaterThanOrEqual(3);
          expect(Number(p.clicks)).toBeLessThanOrEqual(30);
          break;
        case "Custom":
          expect(typeof p.name).toBe("string");
          expect(typeof p.properties).toBe("object");
          break;
      }
    }
  });

  it("has a sensible kind mix, time formats and key spellings over 10,000 deliveries", () => {
    const deliveries = run(10_000, 42);
    const counts = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
    let deciseconds = 0;
    let messsage = 0;
    let message = 0;
    for (const d of deliveries) {
      const b = parse(d);
      counts[b.payload.event_name]++;
      if (b.payload.time < 1e11) deciseconds++;
      if ("messsage" in b.payload) messsage++;
      if ("message" in b.payload) message++;
    }
    const share = (k: EventKind) => counts[k] / deliveries.length;
    expect(share("JSError")).toBeGreaterThan(0.3);
    expect(share("JSError")).toBeLessThan(0.46);
    expect(share("NetError")).toBeGreaterThan(0.22);
    expect(share("NetError")).toBeLessThan(0.38);
    expect(share("ErrorClick")).toBeGreaterThan(0.03);
    expect(share("ErrorClick")).toBeLessThan(0.1);
    expect(share("RageClick")).toBeGreaterThan(0.04);
    expect(share("RageClick")).toBeLessThan(0.12);
    expect(share("Custom")).toBeGreaterThan(0.12);
    expect(share("Custom")).toBeLessThan(0.25);
    expect(counts.JSError + counts.NetError).toBeGreaterThan(counts.ErrorClick + counts.RageClick + counts.Custom);
    expect(deciseconds / deliveries.length).toBeGreaterThan(0.02);
    expect(deciseconds / deliveries.length).toBeLessThan(0.2);
    expect(messsage).toBeGreaterThan(0);
    expect(message).toBeGreaterThan(messsage);
  });

  it("recurs errors with a long tail and volatile parts, across thousands of revisiting visitors", () => {
    const deliveries = run(10_000, 5).filter((d) => !d.isDuplicate);
    const byValue = new Map<string, number>();
    const byVisitor = new Map<string, number>();
    for (const d of deliveries) {
      const p = parse(d).payload;
      byVisitor.set(p.visitor.id, (byVisitor.get(p.visitor.id) ?? 0) + 1);
      if (p.event_name === "JSError") byValue.set(String(p.value), (byValue.get(String(p.value)) ?? 0) + 1);
    }
    const top = Math.max(...byValue.values());
    const jsTotal = [...byValue.values()].reduce((a, b) => a + b, 0);
    expect(top / jsTotal).toBeGreaterThan(0.08); // a head...
    expect(byValue.size).toBeGreaterThan(200); // ...and many distinct texts (volatile ids, numbers)
    const normalized = new Set([...byValue.keys()].map((v) => v.replace(/[0-9a-f]{6,}|[A-Za-z0-9]{12,}|\d+/g, "#")));
    expect(normalized.size).toBeLessThan(byValue.size / 2);
    expect(byVisitor.size).toBeGreaterThan(500);
    const perVisitor = [...byVisitor.values()].sort((a, b) => b - a);
    expect(perVisitor[0]).toBeGreaterThan(10 * (perVisitor[Math.floor(perVisitor.length / 2)] ?? 1));
  });

  it("returns duplicates that repeat an earlier body exactly", () => {
    const deliveries = run(5000, 9, { duplicateRate: 0.05 });
    const seen = new Map<string, string>();
    let duplicates = 0;
    for (const d of deliveries) {
      if (d.isDuplicate) {
        duplicates++;
        expect(seen.get(d.messageId)).toBe(d.body);
      } else {
        expect(seen.has(d.messageId)).toBe(false);
        seen.set(d.messageId, d.body);
      }
    }
    expect(duplicates).toBeGreaterThan(150);
    expect(duplicates).toBeLessThan(350);
    const none = run(2000, 9, { duplicateRate: 0 });
    expect(none.some((d) => d.isDuplicate)).toBe(false);
    const byDefault = run(10_000, 9).filter((d) => d.isDuplicate).length;
    expect(byDefault).toBeGreaterThan(100);
    expect(byDefault).toBeLessThan(350);
  });

  it("custom properties mostly match their suffixes, with a few that do not", () => {
    const deliveries = run(10_000, 21);
    let total = 0;
    let matching = 0;
    let unsuffixed = 0;
    const names = new Set<string>();
    for (const d of deliveries) {
      const p = parse(d).payload;
      if (p.event_name !== "Custom") continue;
      names.add(String(p.name));
      for (const [key, value] of Object.entries(p.properties as Record<string, unknown>)) {
        total++;
        if (propertyMatchesSuffix(key, value)) matching++;
        if (!/_(str|int|float|bool)$/.test(key)) unsuffixed++;
      }
    }
    expect(total).toBeGreaterThan(3000);
    expect(matching / total).toBeGreaterThan(0.95);
    expect(total - matching).toBeGreaterThan(0);
    expect(unsuffixed).toBeGreaterThan(0);
    for (const n of ["Product added", "Checkout started", "Payment failed", "Search", "Signup"]) expect(names).toContain(n);
  });

  it("propertyMatchesSuffix checks the suffix types", () => {
    expect(propertyMatchesSuffix("product_id_int", 3)).toBe(true);
    expect(propertyMatchesSuffix("product_id_int", 3.5)).toBe(false);
    expect(propertyMatchesSuffix("price_float", 9.99)).toBe(true);
    expect(propertyMatchesSuffix("price_float", "9.99")).toBe(false);
    expect(propertyMatchesSuffix("name_str", "x")).toBe(true);
    expect(propertyMatchesSuffix("is_logged_in_bool", "true")).toBe(false);
    expect(propertyMatchesSuffix("productId", 1)).toBe(false);
  });

  it("bursts repeat one error on one website and are never duplicates", () => {
    const sim = createSimulation({ seed: 4, duplicateRate: 1 });
    sim.next(NOW);
    for (let i = 0; i < 20; i++) {
      const burst = sim.createBurst();
      const out = Array.from({ length: 30 }, () => sim.next(NOW, { burst }));
      for (const d of out) {
        expect(d.isDuplicate).toBe(false);
        expect(d.isBurst).toBe(true);
        expect(d.kind).toBe(burst.kind);
        expect(d.websiteId).toBe(burst.websiteId);
      }
      const bodies = out.map(parse);
      if (burst.kind === "NetError") {
        expect(new Set(bodies.map((b) => b.payload.method)).size).toBe(1);
        expect(new Set(bodies.map((b) => b.payload.status)).size).toBe(1);
      } else {
        const shapes = new Set(bodies.map((b) => String(b.payload.value).replace(/[0-9a-f]{6,}|[A-Za-z0-9]{12,}|\d+(\.\d+)?/g, "#")));
        expect(shapes.size).toBeLessThanOrEqual(2);
      }
      expect(new Set(bodies.map((b) => b.payload.visitor.id)).size).toBeGreaterThan(10);
    }
  });

  it("honours a forced kind", () => {
    const sim = createSimulation({ seed: 2, duplicateRate: 1 });
    for (const kind of EVENT_KINDS) {
      const d = sim.next(NOW, { kind });
      expect(d.kind).toBe(kind);
      expect(d.isDuplicate).toBe(false);
      expect(parse(d).payload.event_name).toBe(kind);
    }
  });
});
