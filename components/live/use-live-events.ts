"use client";

import { useEffect, useRef, useState, type RefObject } from "react";
import type { LiveEvent } from "@/lib/realtime/live-event";
import { openLiveSocket, type LiveStatus } from "./live-socket";

/**
 * Events reach React at most every FRAME_INTERVAL_MS (5 updates a second); those that arrive in
 * between wait and go in one batch. Shorter would cost the page more work under load; longer
 * would put the p95 from webhook to screen over 250 ms (npm run bench:live).
 */
export const FRAME_INTERVAL_MS = 200;

export type LiveOptions = {
  websiteId: string | null;
  /** The view's filters as the API spells them (kind, country, url, visitorId, issueId, prop). */
  filters: Record<string, string>;
  /** The time of the page's data: the first subscription asks for the events received since. */
  since: string;
  /** A batch of new events, oldest first; called at most every FRAME_INTERVAL_MS. */
  onEvents: (events: LiveEvent[]) => void;
  /** The page may have missed events (reconnected, or the server dropped its backlog): re-read it. */
  onResync: (reason: string) => void;
  /**
   * Set while the server is unreachable (the socket lost, until it subscribes again; cleared
   * before onResync is called). A page must not re-read then (Next.js would fall back to a full
   * navigation, onto an error page); the reconnect's resync re-reads instead.
   */
  unreachable: RefObject<boolean>;
};

/**
 * A live socket for one website and filters: subscribes on every (re)connection, reconnects
 * with socket.io's back-off (1 s doubling to 15 s, randomised) and coalesces events into frames.
 * Each server batch is acknowledged when this page's main thread takes it, so a browser that
 * cannot keep up (busy, throttled, slow network) makes the server hold events back and, past
 * a limit, drop them and ask for a resync, instead of queueing a backlog.
 */
export function useLiveEvents({ websiteId, filters, since, onEvents, onResync, unreachable }: LiveOptions): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handlers = useRef({ onEvents, onResync, since });
  handlers.current = { onEvents, onResync, since };
  const filterKey = JSON.stringify(filters);

  useEffect(() => {
    if (!websiteId) return;
    const { socket, close } = openLiveSocket(setStatus, () => {
      unreachable.current = true;
    });
    let queue: LiveEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastFrame = 0;
    let connectedBefore = false;

    const frame = () => {
      timer = null;
      lastFrame = performance.now();
      const events = queue;
      queue = [];
      if (events.length > 0) handlers.current.onEvents(events);
    };
    const schedule = () => {
      if (timer !== null) return;
      timer = setTimeout(frame, Math.max(0, lastFrame + FRAME_INTERVAL_MS - performance.now()));
    };

    socket.on("connect", () => {
      socket
        .timeout(10_000)
        .emitWithAck("subscribe", {
          websiteId,
          filters: JSON.parse(filterKey) as Record<string, string>,
          // After a disconnect the page re-reads instead (below).
          ...(connectedBefore ? {} : { since: handlers.current.since }),
        })
        .then((reply: { ok: boolean }) => {
          if (!reply.ok) return setStatus("offline");
          unreachable.current = false;
          setStatus("live");
          // Whatever happened while disconnected is in a fresh read of the page.
          if (connectedBefore) handlers.current.onResync("reconnected");
          connectedBefore = true;
        })
        .catch(() => socket.disconnect().connect());
    });
    socket.on("events", (events: LiveEvent[], ack: () => void) => {
      queue.push(...events);
      ack();
      schedule();
    });
    socket.on("resync", (info: { reason?: string } = {}) => {
      // Events queued before the resync are in the snapshot it triggers; drop them.
      queue = [];
      handlers.current.onResync(info.reason ?? "server");
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      close();
      unreachable.current = false;
      setStatus("connecting");
    };
  }, [websiteId, filterKey]);

  return status;
}
