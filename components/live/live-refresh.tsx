"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import type { LiveEvent } from "@/lib/realtime/live-event";
import type { LiveView } from "@/lib/view/live";
import { inRange } from "./apply";
import { LiveStatusBadge } from "./live-status";
import { serverAnswers } from "./reachable";
import { useLiveEvents } from "./use-live-events";

/** While events keep arriving, a page is re-read at most this often (the first time at once). */
export const REFRESH_INTERVAL_MS = 3_000;

/**
 * Keeps a server-rendered page current: the socket receives only the events of the page's
 * website and filters (filtered on the server), and each batch that falls in the page's range
 * re-reads the page (router.refresh: its server components render again, client state and
 * scroll stay). Re-reads are coalesced: one at a time, at most every REFRESH_INTERVAL_MS, and
 * one more when events arrived during the last. The figures are read fresh each time, so
 * none is counted twice, and an event stored while a read ran arrives live and re-reads again.
 * A reconnect or a server "resync" re-reads too. Shows the connection's state.
 */
export function LiveRefresh({ websiteId, filters, since, from, until }: LiveView) {
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const [received, setReceived] = useState(0);
  const lastAt = useRef(0);
  const waiting = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const busy = useRef(false);

  const unreachable = useRef(false);
  const run = useCallback(() => {
    timer.current = null;
    // The reconnect's resync re-reads: a refresh now would navigate to an error page.
    if (unreachable.current) return;
    waiting.current = false;
    lastAt.current = Date.now();
    busy.current = true;
    void serverAnswers().then((answers) => {
      if (answers) startTransition(() => router.refresh());
      else busy.current = false;
    });
  }, [router]);

  const request = useCallback(() => {
    waiting.current = true;
    if (timer.current !== null || busy.current) return;
    timer.current = setTimeout(run, Math.max(0, lastAt.current + REFRESH_INTERVAL_MS - Date.now()));
  }, [run]);

  // A re-read that ends with events waiting schedules the next one.
  useEffect(() => {
    busy.current = refreshing;
    if (!refreshing && waiting.current) request();
  }, [refreshing, request]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const onEvents = useCallback(
    (events: LiveEvent[]) => {
      setReceived((n) => n + events.length);
      if (events.some((e) => inRange(e, from, until))) request();
    },
    [from, until, request],
  );

  const status = useLiveEvents({ websiteId, filters, since, onEvents, onResync: request, unreachable });
  return (
    <span className="live-refresh" data-live-received={received}>
      <LiveStatusBadge status={status} title="Updates as webhooks arrive" />
    </span>
  );
}
