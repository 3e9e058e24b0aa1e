"use client";

import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useRerank } from "@/components/live/live-overview";
import { BreakdownPanel } from "./breakdown-panel";
import type { RowLink } from "./links";
import { readRanked, reuseRanked, type Ranked, type RankedQuery } from "./ranked";
import { TopIssues } from "./top-issues";

/** A read that takes longer than this fails, and is asked again at the next interval. */
const READ_TIMEOUT_MS = 10_000;

const Breakdown = memo(BreakdownPanel);
const Issues = memo(TopIssues);

/**
 * The overview's breakdowns and top issues: the page's data, read again as JSON whenever
 * LiveOverview says a read is due (useRerank), re-rendering only the sections whose data
 * changed. A failed read keeps what is shown and asks again; a new page snapshot (a refresh,
 * another view) replaces the data, and a read started before it is dropped.
 */
export function LiveRanked({ initial, query, search }: { initial: Ranked; query: RankedQuery; search: string }) {
  const { tick, retry } = useRerank();
  const [shown, setShown] = useState({ initial, ranked: initial });
  if (shown.initial !== initial) setShown({ initial, ranked: reuseRanked(shown.ranked, initial) });

  const latestQuery = useRef(query);
  /** The number of the latest read: only its answer is shown. */
  const latestRead = useRef(0);
  useEffect(() => {
    latestQuery.current = query;
    latestRead.current += 1;
  }, [initial, query]);

  useEffect(() => {
    if (tick === 0) return;
    const read = ++latestRead.current;
    readRanked(latestQuery.current, Date.now(), READ_TIMEOUT_MS).then(
      (next) => {
        if (read !== latestRead.current) return;
        setShown((s) => {
          const ranked = reuseRanked(s.ranked, next);
          return ranked === s.ranked ? s : { ...s, ranked };
        });
      },
      () => {
        if (read === latestRead.current) retry();
      },
    );
  }, [tick, retry]);

  const links = useMemo<Record<"country" | "url" | "visitor", RowLink>>(
    () => ({ country: { filter: "country" }, url: { page: "/issues/", search }, visitor: { page: "/visitors/", search } }),
    [search],
  );
  const { ranked } = shown;
  return (
    <>
      <div className="breakdown-grid">
        <Breakdown title="By country" by="country" breakdown={ranked.byCountry} link={links.country} />
        <Breakdown title="By URL" by="url" breakdown={ranked.byUrl} link={links.url} />
        <Breakdown title="By visitor" by="visitor" breakdown={ranked.byVisitor} link={links.visitor} />
      </div>
      <h2 className="section-title">Top issues</h2>
      <section className="panel" aria-label="Top issues">
        <Issues issues={ranked.issues} now={ranked.now} search={search} />
      </section>
    </>
  );
}
