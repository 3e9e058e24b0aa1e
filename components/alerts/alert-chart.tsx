"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AlertFigures } from "@/lib/alerts/types";
import { windowLabel } from "./describe";

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayAndTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const DAY_MS = 86_400_000;
const exact = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/**
 * The counts per window that the rule compared (figures.series), with the threshold as a
 * line, and for a spike the baseline it was measured against. In the browser's time zone.
 */
export function AlertChart({ figures }: { figures: AlertFigures }) {
  const rows = useMemo(() => figures.series.map((p) => ({ t: p.at, count: p.count })), [figures.series]);
  const top = Math.max(figures.threshold, figures.baseline ?? 0, ...rows.map((r) => r.count));
  const per = figures.windowMinutes ? windowLabel(figures.windowMinutes) : "hour";
  // A series longer than a day (windows of hours) names the day too: times alone would repeat.
  const span = rows.length > 1 ? Date.parse(rows.at(-1)!.t) - Date.parse(rows[0]!.t) : 0;
  const tick = span >= DAY_MS ? dayAndTime : time;
  return (
    <div
      className="chart"
      role="img"
      aria-label={`Count per ${per}: ${rows.map((r) => r.count).join(", ")}; threshold ${figures.threshold}${figures.baseline !== null ? `, baseline ${figures.baseline}` : ""}`}
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 0 }} barCategoryGap={2}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="t" tickFormatter={(t: string) => tick.format(new Date(t))} minTickGap={30} tick={{ fontSize: 12, fill: "var(--muted)" }} stroke="var(--border)" />
          <YAxis allowDecimals={false} width={48} domain={[0, Math.ceil(top * 1.1) || 1]} tick={{ fontSize: 12, fill: "var(--muted)" }} stroke="var(--border)" />
          <Tooltip
            labelFormatter={(t) => exact.format(new Date(String(t)))}
            formatter={(value) => [String(value), `Count per ${per}`]}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 13 }}
            labelStyle={{ color: "var(--text)", fontWeight: 600 }}
            cursor={{ fill: "var(--border)", opacity: 0.4 }}
          />
          <Bar dataKey="count" fill="var(--danger)" isAnimationActive={false} />
          <ReferenceLine y={figures.threshold} stroke="var(--warning)" strokeDasharray="6 3" strokeWidth={2} label={{ value: `threshold ${figures.threshold}`, position: "insideTopRight", fill: "var(--text)", fontSize: 12 }} />
          {figures.baseline !== null ? (
            <ReferenceLine y={figures.baseline} stroke="var(--accent)" strokeDasharray="2 3" strokeWidth={2} label={{ value: `baseline ${Math.round(figures.baseline * 10) / 10}`, position: "insideBottomRight", fill: "var(--text)", fontSize: 12 }} />
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
