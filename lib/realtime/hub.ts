// Live delivery: after a batch commits, ingest hands its stored events to the hub, which sends
// each subscribed socket of this process the events that match its website and filters, and
// (with a shared adapter) forwards the batch to the other instances, which do the same.
//
// Backpressure is per socket and end to end: a socket has at most one batch in flight, and the
// browser acknowledges it once applied. Events that arrive meanwhile wait in the socket's queue
// and go out as one batch with the next ack. A socket whose queue grows past MAX_PENDING (or
// that does not acknowledge within ACK_TIMEOUT_MS) loses the queue and is told to resync:
// it re-reads the page instead of replaying a backlog.
import type { Server, Socket } from "socket.io";
import type { EventRecord } from "../ingest/store";
import { logger } from "../log";
import { matchesFilters, type Filterable, type Subscription } from "./filters";
import { LIVE_TEXT_LIMIT, type LiveEvent } from "./live-event";

export const MAX_PENDING = 2_000;
export const ACK_TIMEOUT_MS = 10_000;
/** Cross-instance messages are cut to stay under PostgreSQL's NOTIFY payload limit (8,000 bytes). */
const FORWARD_CHUNK_BYTES = 6_500;
const FORWARD_EVENT = "lsm:live";

export type PublishedEvent = LiveEvent & { properties: Record<string, unknown> | null };

export const websiteRoom = (websiteId: string) => `website:${websiteId}`;

type SocketState = { sub: Subscription | null; pending: LiveEvent[]; inFlight: boolean; dropped: boolean };

const cut = (text: string | null | undefined) => (text == null ? null : text.length > LIVE_TEXT_LIMIT ? `${text.slice(0, LIVE_TEXT_LIMIT)}…` : text);

function field<T>(record: EventRecord, key: string): T | null {
  return ((record.fields as Record<string, unknown>)[key] as T | undefined) ?? null;
}

export function toPublished(record: EventRecord): PublishedEvent {
  const properties = field<Record<string, unknown>>(record, "properties");
  return {
    messageId: record.messageId,
    websiteId: record.websiteId,
    kind: record.fields.kind,
    occurredAt: record.occurredAt.toISOString(),
    visitorId: record.visitor.id,
    visitorName: cut(record.visitor.name),
    visitorEmail: cut(record.visitor.email),
    issueId: record.issueId,
    issueTitle: cut(record.title) ?? "",
    countryCode: record.visitor.countryCode,
    city: cut(record.visitor.city),
    urlTemplate: record.urlTemplate,
    url: cut(field<string>(record, "url")),
    method: cut(field<string>(record, "method")),
    status: field<number>(record, "status"),
    name: cut(field<string>(record, "name")),
    message: cut(field<string>(record, "message")),
    properties: properties && typeof properties === "object" ? properties : null,
  };
}

function compact(event: PublishedEvent): LiveEvent {
  const { properties: _, ...rest } = event;
  return rest;
}

function state(socket: Socket): SocketState {
  return (socket.data.live ??= { sub: null, pending: [], inFlight: false, dropped: false } satisfies SocketState) as SocketState;
}

export class LiveHub {
  constructor(
    private readonly io: Server,
    private readonly shared: boolean,
  ) {
    if (shared) io.on(FORWARD_EVENT, (events: PublishedEvent[]) => this.deliverLocal(events));
  }

  /** A socket's subscription, replacing the previous one (its queue starts afresh). */
  async subscribe(socket: Socket, sub: Subscription): Promise<void> {
    const s = state(socket);
    if (s.sub && s.sub.websiteId !== sub.websiteId) await socket.leave(websiteRoom(s.sub.websiteId));
    s.sub = sub;
    s.pending = [];
    s.dropped = false;
    await socket.join(websiteRoom(sub.websiteId));
  }

  /** Events read back for one socket (its catch-up), through its queue like live ones. */
  send(socket: Socket, events: LiveEvent[]): void {
    if (events.length > 0) this.enqueue(socket, events);
  }

  /** Tells one socket to re-read its page (its backlog is dropped). */
  resync(socket: Socket, reason: string): void {
    const s = state(socket);
    s.pending = [];
    s.dropped = false;
    socket.emit("resync", { reason });
  }

  /** Events stored by this instance: to local sockets, and to the other instances. */
  /** Whether a website's events have anywhere to go: a subscriber here, or other instances. */
  wants(websiteId: string): boolean {
    return this.shared || (this.io.of("/").adapter.rooms.get(websiteRoom(websiteId))?.size ?? 0) > 0;
  }

  publish(events: PublishedEvent[]): void {
    if (events.length === 0) return;
    this.deliverLocal(events);
    if (!this.shared) return;
    let chunk: PublishedEvent[] = [];
    let size = 0;
    for (const event of events) {
      const bytes = Buffer.byteLength(JSON.stringify(event));
      if (chunk.length > 0 && size + bytes > FORWARD_CHUNK_BYTES) {
        this.io.serverSideEmit(FORWARD_EVENT, chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(event);
      size += bytes + 1;
    }
    if (chunk.length > 0) this.io.serverSideEmit(FORWARD_EVENT, chunk);
  }

  private deliverLocal(events: PublishedEvent[]): void {
    const byWebsite = new Map<string, PublishedEvent[]>();
    for (const event of events) {
      const list = byWebsite.get(event.websiteId);
      if (list) list.push(event);
      else byWebsite.set(event.websiteId, [event]);
    }
    const nsp = this.io.of("/");
    for (const [websiteId, list] of byWebsite) {
      const room = nsp.adapter.rooms.get(websiteRoom(websiteId));
      if (!room) continue;
      for (const id of room) {
        const socket = nsp.sockets.get(id);
        if (!socket) continue;
        const sub = state(socket).sub;
        if (!sub || sub.websiteId !== websiteId) continue;
        const matching = list.filter((event) => matchesFilters(event as Filterable, sub.filters)).map(compact);
        if (matching.length > 0) this.enqueue(socket, matching);
      }
    }
  }

  private enqueue(socket: Socket, events: LiveEvent[]): void {
    const s = state(socket);
    // Everything dropped so far is older than the resync this socket is about to receive.
    if (s.dropped) return;
    s.pending.push(...events);
    if (s.pending.length > MAX_PENDING) {
      s.pending = [];
      s.dropped = true;
    }
    if (!s.inFlight) this.flush(socket);
  }

  private flush(socket: Socket): void {
    const s = state(socket);
    if (s.dropped) {
      s.dropped = false;
      s.pending = [];
      logger().debug({ socket: socket.id }, "live socket fell behind: resync");
      socket.emit("resync", { reason: "behind" });
      return;
    }
    if (s.pending.length === 0 || !socket.connected) return;
    const batch = s.pending;
    s.pending = [];
    s.inFlight = true;
    socket.timeout(ACK_TIMEOUT_MS).emit("events", batch, (error: Error | null) => {
      s.inFlight = false;
      if (error) {
        s.pending = [];
        s.dropped = true;
      }
      this.flush(socket);
    });
  }
}

const hubKey = Symbol.for("lsm.realtime.hub");
type HubCache = { [hubKey]?: LiveHub };

export function setHub(hub: LiveHub | undefined): void {
  (globalThis as HubCache)[hubKey] = hub;
}

/**
 * Called by ingest after a batch committed: `stored[i]` says whether `records[i]` was inserted
 * (false for a duplicate, which was published when first stored). Never throws.
 */
export function publishStored(records: EventRecord[], stored: boolean[]): void {
  const hub = (globalThis as HubCache)[hubKey];
  if (!hub) return;
  try {
    hub.publish(records.filter((record, i) => stored[i] === true && hub.wants(record.websiteId)).map(toPublished));
  } catch (error) {
    logger().warn({ err: error }, "live publish failed");
  }
}
