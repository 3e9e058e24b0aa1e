"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { compactTicks, tooltipFormatter } from "./time-format";

/** One line of a breakdown trend: its name (shown as text) and colour. */
export type BreakdownSeries = { name: string; color: string; rest?: boolean };
/** Counts per bucket, `values[i]` belonging to `series[i]`. */
export type BreakdownPoint = { t: string; values: number[] };

/**
 * A small stacked area chart of a breakdown's top rows (and the rest) over time. Data comes in
 * as props; nothing is fetched or animated. Series are keyed by position, so a row key such as
 * a URL (with dots, which recharts would read as a path) never becomes a data key.
 */
export function BreakdownTrendChart({
  points,
  series,
  bucketMinutes,
  timeZone,
  label,
}: {
  points: BreakdownPoint[];
  series: BreakdownSeries[];
  bucketMinutes: number;
  timeZone: string;
  label: string;
}) {
  const rows = points.map((p) => {
    const row: Record<string, string | number> = { t: p.t };
    p.values.forEach((n, i) => (row[`s${i}`] = n));
    return row;
  });
  const { ticks, format } = compactTicks(
    points.map((p) => p.t),
    bucketMinutes,
    timeZone,
  );
  const tooltipLabel = tooltipFormatter(timeZone, bucketMinutes);
  return (
    <div className="chart breakdown-chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={130}>
        <AreaChart data={rows} margin={{ top: 6, right: 6, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="t"
            ticks={ticks}
            tickFormatter={(t) => format(String(t))}
            minTickGap={24}
            tick={{ fontSize: 11, fill: "var(--muted)" }}
            stroke="var(--border)"
          />
          <YAxis allowDecimals={false} width={34} tick={{ fontSize: 11, fill: "var(--muted)" }} stroke="var(--border)" />
          <Tooltip
            labelFormatter={tooltipLabel}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12, maxWidth: 300, whiteSpace: "normal" }}
            labelStyle={{ color: "var(--text)", fontWeight: 600 }}
            cursor={{ stroke: "var(--muted)", strokeDasharray: "3 3" }}
          />
          {series.map((s, i) => (
            <Area
              key={i}
              dataKey={`s${i}`}
              name={s.name}
              stackId="rows"
              type="monotone"
              stroke={s.color}
              fill={s.color}
              fillOpacity={s.rest ? 0.12 : 0.35}
              strokeDasharray={s.rest ? "4 3" : undefined}
              strokeWidth={1.5}
              isAnimationActive={false}
              dot={false}
              activeDot={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
