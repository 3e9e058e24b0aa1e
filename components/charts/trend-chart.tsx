"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { kindColor } from "./kind-colors";
import { tickFormatter } from "./time-format";

export type TrendPoint = { t: string; values: Record<string, number> };

/**
 * Events per bucket, stacked by kind. Data comes in as props; bars are not animated, so a
 * chart that updates often does not flicker.
 */
export function TrendChart({
  points,
  series,
  bucketMinutes,
  timeZone,
}: {
  points: TrendPoint[];
  series: string[];
  bucketMinutes: number;
  timeZone: string;
}) {
  const rows = useMemo(() => points.map((p) => ({ t: p.t, ...p.values })), [points]);
  const rangeDays = (points.length * bucketMinutes) / 1440;
  // Built once, not on every live update (Intl formatters are slow to create).
  const label = useMemo(() => tickFormatter(bucketMinutes, timeZone, rangeDays), [bucketMinutes, timeZone, rangeDays]);
  const tooltipLabel = useMemo(() => new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" }), [timeZone]);
  return (
    <div className="chart" role="img" aria-label={`Events per ${bucketMinutes} minutes, stacked by kind`}>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="t" tickFormatter={label} minTickGap={40} tick={{ fontSize: 12, fill: "var(--muted)" }} stroke="var(--border)" />
          <YAxis allowDecimals={false} width={48} tick={{ fontSize: 12, fill: "var(--muted)" }} stroke="var(--border)" />
          <Tooltip
            labelFormatter={(t) => tooltipLabel.format(new Date(String(t)))}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 13 }}
            labelStyle={{ color: "var(--text)", fontWeight: 600 }}
            cursor={{ fill: "var(--border)", opacity: 0.4 }}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} iconType="square" />
          {series.map((kind) => (
            <Bar key={kind} dataKey={kind} stackId="kinds" fill={kindColor(kind)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
