"use client";

import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { TrendChart } from "@/components/charts/trend-chart";
import { LatestEventsTable, type FeedEvent } from "@/components/latest-events-table";
import { TotalsCards, type Totals } from "@/components/overview/totals";
import type { LiveEvent } from "@/lib/realtime/live-event";
import type { LiveSnapshot } from "@/lib/realtime/snapshot";
import { addToCounts, addToTrend, inRange, mergeFeed, type Trend } from "./apply";
import { refreshIfServerAnswers } from "./reachable";
import { LiveStatusBadge } from "./live-status";
import type { LiveStatus } from "./live-socket";
import { useLiveEvents } from "./use-live-events";

/**
 * While events flow, the overview's ranked sections (breakdowns and top issues) are read
 * again at most this often, as JSON, the first time RERANK_FIRST_MS after events start. Its
 * totals, trend and feed are live without a read. Re-reading the whole page instead (every
 * 10 s) put the p95 from webhook to screen at 1,000 webhooks/s for 30 s at 310-500 ms, one or
 * two instances; reading only these sections keeps it at ~195 ms (npm run bench:live).
 */
const OVERVIEW_REFRESH_MS = 10_000;
const RERANK_FIRST_MS = 1_000;
/** No event for this long: events have calmed, and an unsettled snapshot is read again. */
const CALM_MS = 3_000;
/** Live events are kept this long, to re-apply the ones a fresh snapshot does not have yet. */
const REPLAY_MS = 15_000;

export type OverviewData = {
  totals: Totals;
  trend: Trend;
  feed: FeedEvent[];
  /** Where the totals' range starts, and where the range ends (null: now, moving with it). */
  from: string;
  until: string | null;
  snapshot: LiveSnapshot;
};

type State = { totals: Totals; trend: Trend; feed: FeedEvent[]; held: FeedEvent[]; liveCount: number };

type Context = State & {
  status: LiveStatus;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  timeZone: string;
  periodLabel: string;
  feedLimit: number;
};

const LiveContext = createContext<Context | null>(null);

/** When the ranked sections are due to be read again (`tick` grows), and how to ask again after a failed read. */
type Rerank = { tick: number; retry: () => void };

const RerankContext = createContext<Rerank | null>(null);

/** The ranked sections' schedule (see OVERVIEW_REFRESH_MS): no read is due while the socket is offline. */
export function useRerank(): Rerank {
  const context = useContext(RerankContext);
  if (!context) throw new Error("Live components must be inside <LiveOverview>");
  return context;
}

function useLive(): Context {
  const context = useContext(LiveContext);
  if (!context) throw new Error("Live components must be inside <LiveOverview>");
  return context;
}

/** Events held back while the feed is paused: those it does not show yet, newest first. */
function hold(state: Pick<State, "feed" | "held">, events: FeedEvent[]): FeedEvent[] {
  const shown = new Set(state.feed.map((e) => e.messageId));
  return mergeFeed(state.held, events.filter((e) => !shown.has(e.messageId)), 1_000);
}

export function toFeedEvent(e: LiveEvent): FeedEvent {
  return {
    messageId: e.messageId,
    kind: e.kind,
    occurredAt: e.occurredAt,
    visitorId: e.visitorId,
    visitorName: e.visitorName,
    visitorEmail: e.visitorEmail,
    countryCode: e.countryCode,
    city: e.city,
    summary: e.message ?? e.url ?? e.name,
    status: e.status,
    method: e.method,
  };
}

/**
 * Holds the overview's live figures: the server-rendered snapshot plus the live events since.
 *
 * No event missed or counted twice (lib/realtime/snapshot.ts, catch-up.ts):
 * - The page's data is read at render; the socket subscribes later, asking for the events
 *   received since just before that read (`since`), so nothing between the two is missed.
 * - A snapshot lists the ids of the events received in the last minute, read *after* its
 *   queries: every recent event it counted is in that list, and live or catch-up events whose
 *   id is in it are skipped.
 * - To re-read the whole page (reconnect, "resync", or an unsettled snapshot, below), the socket
 *   stays subscribed and the page refreshes. Events received before the refresh was asked for
 *   were committed before it, so the new snapshot has them; the ones received after are kept
 *   and re-applied on top of it unless its list has them.
 * - The ranked sections (breakdowns, top issues) are read, not applied: while events flow they
 *   are read again as JSON (LiveRanked) at most every OVERVIEW_REFRESH_MS, the first time soon
 *   after events start, and once more after the last event, so when events stop they hold every
 *   event received. A page refresh brings them too; a JSON read asked for before it is dropped.
 * The one gap: an event committed while the snapshot's queries run is in the list whether or
 * not a query counted it, so a figure can lack it. Such a snapshot is not `settled`, and once
 * events have calmed (none for CALM_MS) the page reads again, until a snapshot is settled:
 * when events stop, the figures are exact within a few seconds. The list is capped (5,000
 * ids); above ~80 events/s for one website a refresh while they flow (a resync) can count an
 * event twice until the next one.
 */
export function LiveOverview({
  websiteId,
  filters,
  data,
  timeZone,
  periodLabel,
  feedLimit,
  children,
}: {
  websiteId: string;
  filters: Record<string, string>;
  data: OverviewData;
  timeZone: string;
  periodLabel: string;
  feedLimit: number;
  children: ReactNode;
}) {
  const router = useRouter();
  const [paused, setPausedState] = useState(false);
  const pausedRef = useRef(false);
  const kept = useRef<{ at: number; event: LiveEvent }[]>([]);
  const seen = useRef(new Set<string>());
  const lastEventAt = useRef(0);
  /** When the pending refresh was asked for (null: none pending), and whether to ask again. */
  const requestedAt = useRef<number | null>(null);
  const again = useRef(false);

  const apply = useCallback(
    (state: State, events: LiveEvent[]): State => {
      if (events.length === 0) return state;
      // Figures count the range; the feed shows the newest events, whatever their time.
      const inside = events.filter((e) => inRange(e, data.from, data.until));
      const beforeEnd = data.until === null ? events : events.filter((e) => e.occurredAt < data.until!);
      const feedEvents = events.map(toFeedEvent);
      return {
        totals: { ...state.totals, current: addToCounts(state.totals.current, inside) },
        trend: addToTrend(state.trend, beforeEnd, data.until === null),
        feed: pausedRef.current ? state.feed : mergeFeed(state.feed, feedEvents, feedLimit),
        held: pausedRef.current ? hold(state, feedEvents) : state.held,
        liveCount: state.liveCount + events.length,
      };
    },
    [data.from, data.until, feedLimit],
  );

  const fromSnapshot = useCallback((previous?: State): State => {
    const ids = new Set(data.snapshot.ids);
    // Received before the refresh was asked for: committed before it, so in the snapshot.
    // Without a request (another range, say), the last REPLAY_MS are the candidates.
    const after = requestedAt.current ?? Date.now() - REPLAY_MS;
    kept.current = kept.current.filter((k) => k.at >= after);
    const replay = kept.current.map((k) => k.event).filter((e) => !ids.has(e.messageId));
    seen.current = new Set([...ids, ...replay.map((e) => e.messageId)]);
    // A paused feed stays as it is; the snapshot's newer events wait behind "N new".
    const paused = pausedRef.current && previous !== undefined;
    const feed = paused ? previous.feed : data.feed;
    const held = paused ? hold(previous, data.feed) : [];
    return apply({ totals: data.totals, trend: data.trend, feed, held, liveCount: 0 }, replay);
  }, [data, apply]);

  const [snapshotKey, setSnapshotKey] = useState(data.snapshot.key);
  const [shownSince, setShownSince] = useState(data.snapshot.since);
  const [state, setState] = useState<State>(() => fromSnapshot());
  // A new snapshot (refresh, resync, or another view): start from it, re-applying what it lacks.
  // One read before the snapshot shown (a slow refresh answered after a newer one) is dropped.
  if (snapshotKey !== data.snapshot.key) {
    setSnapshotKey(data.snapshot.key);
    if (Date.parse(data.snapshot.since) >= Date.parse(shownSince)) {
      setShownSince(data.snapshot.since);
      setState((previous) => fromSnapshot(previous));
    }
  }

  const unreachable = useRef(false);
  const refresh = useCallback(() => {
    // The reconnect's resync re-reads: a refresh now would navigate to an error page.
    if (unreachable.current) return;
    // One refresh at a time; a resync asked for meanwhile needs a snapshot taken after it.
    if (requestedAt.current !== null) {
      again.current = true;
      return;
    }
    requestedAt.current = Date.now();
    void refreshIfServerAnswers(router).then((answers) => {
      if (!answers) requestedAt.current = null;
    });
  }, [router]);

  useEffect(() => {
    requestedAt.current = null;
    if (again.current) {
      again.current = false;
      refresh();
      return;
    }
    if (data.snapshot.settled) return;
    // Not while events flow: each snapshot then is unsettled too, and costs what ingest needs.
    let timer: ReturnType<typeof setTimeout>;
    const whenCalm = () => {
      const calmAt = lastEventAt.current + CALM_MS;
      if (Date.now() >= calmAt) refresh();
      else timer = setTimeout(whenCalm, calmAt - Date.now());
    };
    timer = setTimeout(whenCalm, CALM_MS);
    return () => clearTimeout(timer);
  }, [data.snapshot.key, data.snapshot.settled, refresh]);

  const [rerankTick, setRerankTick] = useState(0);
  const rerankTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const rerankedAt = useRef(-Infinity);
  const scheduleRerank = useCallback(() => {
    if (rerankTimer.current !== null) return;
    const due = () => {
      rerankTimer.current = null;
      // Offline, the reconnect's resync re-reads the page; a pending refresh brings the
      // sections as of its request, and events after it need a read after it.
      if (unreachable.current) return;
      if (requestedAt.current !== null) {
        rerankTimer.current = setTimeout(due, RERANK_FIRST_MS);
        return;
      }
      rerankedAt.current = Date.now();
      setRerankTick((n) => n + 1);
    };
    rerankTimer.current = setTimeout(due, Math.max(RERANK_FIRST_MS, rerankedAt.current + OVERVIEW_REFRESH_MS - Date.now()));
  }, []);
  useEffect(() => () => clearTimeout(rerankTimer.current ?? undefined), []);
  const rerank = useMemo(() => ({ tick: rerankTick, retry: scheduleRerank }), [rerankTick, scheduleRerank]);

  const retriedAt = useRef(0);
  useEffect(() => {
    // A refresh that failed (offline) is asked again. The first request's time stays the
    // replay boundary: a late answer to it must not drop events applied since.
    const timer = setInterval(() => {
      const since = Math.max(requestedAt.current ?? Infinity, retriedAt.current);
      if (Date.now() - since > 20_000 && !unreachable.current) {
        retriedAt.current = Date.now();
        void refreshIfServerAnswers(router);
      }
    }, 5_000);
    return () => clearInterval(timer);
  }, [router]);

  // Events of other filters must not be replayed into this view.
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    kept.current = [];
  }, [filterKey, websiteId]);

  const onEvents = useCallback(
    (events: LiveEvent[]) => {
      const now = Date.now();
      const fresh = events.filter((e) => !seen.current.has(e.messageId));
      for (const e of fresh) {
        seen.current.add(e.messageId);
        kept.current.push({ at: now, event: e });
      }
      // Kept while a refresh is pending (however long it takes), else for REPLAY_MS.
      const keepFrom = Math.min(requestedAt.current ?? Infinity, now - REPLAY_MS);
      while (kept.current.length > 0 && kept.current[0]!.at < keepFrom) kept.current.shift();
      if (fresh.length === 0) return;
      lastEventAt.current = now;
      setState((s) => apply(s, fresh));
      scheduleRerank();
    },
    [apply, scheduleRerank],
  );

  const status = useLiveEvents({ websiteId, filters, since: data.snapshot.since, onEvents, onResync: refresh, unreachable });

  const setPaused = useCallback((next: boolean) => {
    pausedRef.current = next;
    setPausedState(next);
    if (!next) setState((s) => ({ ...s, feed: mergeFeed(s.feed, s.held, feedLimit), held: [] }));
  }, [feedLimit]);

  return (
    <LiveContext.Provider value={{ ...state, status, paused, setPaused, timeZone, periodLabel, feedLimit }}>
      <RerankContext.Provider value={rerank}>{children}</RerankContext.Provider>
    </LiveContext.Provider>
  );
}

export function LiveBadge() {
  const { status } = useLive();
  return <LiveStatusBadge status={status} title="Updates as webhooks arrive" />;
}

/** "N events": the number in the trend (it grows live). */
export function LiveEventCount() {
  const { trend } = useLive();
  const total = trend.points.reduce((sum, p) => sum + Object.values(p.values).reduce((a, b) => a + b, 0), 0);
  return (
    <>
      <span data-live-total>{total.toLocaleString("en-US")}</span> {total === 1 ? "event" : "events"}
    </>
  );
}

export function LiveTotals() {
  const { totals, periodLabel } = useLive();
  return <TotalsCards totals={totals} periodLabel={periodLabel} />;
}

export function LiveTrend() {
  const { trend, timeZone } = useLive();
  return <TrendChart points={trend.points} series={trend.series} bucketMinutes={trend.bucketMinutes} timeZone={timeZone} />;
}

/** Pause / resume the latest-events feed; paused, new events wait behind a "Show N new" button. */
export function LiveFeedControls() {
  const { held, paused, setPaused } = useLive();
  return (
    <div className="live-feed-controls">
      <span className="muted" aria-live="polite">
        {paused ? (held.length > 0 ? `Paused · ${held.length.toLocaleString("en-US")} new` : "Paused") : ""}
      </span>
      {paused ? (
        <button type="button" className="button button-secondary button-small" onClick={() => setPaused(false)} data-feed-resume>
          {held.length > 0 ? `Show ${held.length.toLocaleString("en-US")} new` : "Resume"}
        </button>
      ) : (
        <button type="button" className="button button-secondary button-small" onClick={() => setPaused(true)} data-feed-pause>
          Pause
        </button>
      )}
    </div>
  );
}

/** The latest events, newest first (held back while paused). */
export function LiveFeed({ empty }: { empty: ReactNode }) {
  const { feed, timeZone } = useLive();
  return (
    <div className="panel" data-live-feed>
      {feed.length === 0 ? empty : <LatestEventsTable events={feed} timeZone={timeZone} />}
    </div>
  );
}
