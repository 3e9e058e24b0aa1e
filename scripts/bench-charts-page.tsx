// The charts of BENCHMARKS.md, drawn with recharts in the page that scripts/bench-charts.ts
// opens in headless Chromium (bundled by it for the browser). Recharts 3 renders nothing through
// react-dom/server (its chart state fills in effects), so the charts render in the browser, at a
// fixed size, without animation, and the script photographs them.
import { createRoot } from "react-dom/client";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, Line, LineChart, ReferenceLine, XAxis, YAxis } from "recharts";

/** One series: its values are `values[i]` of every point. */
export type Series = { name: string; color: string; dashed?: boolean };
export type Target = { value: number; label: string };
type Common = { title: string; subtitle: string; width: number; height: number; series: Series[]; target?: Target };
export type ChartSpec =
  | (Common & {
      kind: "bars";
      /** "horizontal" bars grow to the right, one row per category. */
      direction: "horizontal" | "vertical";
      points: { label: string; values: number[] }[];
      valueAxis: string;
      /** Bars past the target are drawn in this colour. */
      overTargetColor?: string;
      categoryAxisWidth?: number;
    })
  | (Common & { kind: "line"; points: { x: number; values: number[] }[]; xAxis: string; yAxis: string });

const TEXT = "#1f2933";
const MUTED = "#52606d";
const GRID = "#d9e2ec";
const TARGET = "#c81e1e";
const FONT = { fontSize: 13, fill: MUTED };
/** Right of the plot, for the label of a horizontal target line. */
const TARGET_LABEL_SPACE = 130;

const number = (n: number) => (n >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

function rows<P extends { values: number[] }>(points: P[]): Record<string, unknown>[] {
  return points.map(({ values, ...rest }) => ({ ...rest, ...Object.fromEntries(values.map((v, i) => [`s${i}`, v])) }));
}

/** Outside the plot, so that it never covers a bar: above a vertical line, right of a horizontal one. */
function targetLine(target: Target | undefined, axis: "x" | "y") {
  if (!target) return null;
  const position = { x: "top", y: "right" } as const;
  return (
    <ReferenceLine
      {...{ [axis]: target.value }}
      stroke={TARGET}
      strokeWidth={2}
      strokeDasharray="6 4"
      label={{ value: target.label, position: position[axis], fill: TARGET, fontSize: 13, fontWeight: 600 }}
      ifOverflow="extendDomain"
    />
  );
}

function BarsChart({ spec }: { spec: Extract<ChartSpec, { kind: "bars" }> }) {
  const horizontal = spec.direction === "horizontal";
  const valueAxis = { type: "number" as const, tick: FONT, stroke: MUTED, tickFormatter: number };
  const categoryAxis = { type: "category" as const, dataKey: "label", tick: { ...FONT, fill: TEXT }, stroke: MUTED, interval: 0 };
  return (
    <BarChart
      width={spec.width}
      height={spec.height - 70}
      data={rows(spec.points)}
      layout={horizontal ? "vertical" : "horizontal"}
      margin={{ top: 24, right: spec.target && !horizontal ? TARGET_LABEL_SPACE : 64, bottom: 28, left: 16 }}
      barCategoryGap={horizontal ? 3 : "20%"}
    >
      <CartesianGrid stroke={GRID} horizontal={!horizontal} vertical={horizontal} />
      {horizontal ? (
        <>
          <XAxis {...valueAxis} label={{ value: spec.valueAxis, position: "bottom", offset: 8, fill: TEXT, fontSize: 14 }} />
          <YAxis {...categoryAxis} width={spec.categoryAxisWidth ?? 160} />
        </>
      ) : (
        <>
          <XAxis {...categoryAxis} />
          <YAxis {...valueAxis} width={80} label={{ value: spec.valueAxis, angle: -90, position: "insideLeft", offset: 0, fill: TEXT, fontSize: 14, style: { textAnchor: "middle" } }} />
        </>
      )}
      {spec.series.length > 1 && <Legend verticalAlign="top" height={30} wrapperStyle={{ fontSize: 14, color: TEXT }} />}
      {spec.series.map((s, i) => (
        <Bar key={i} dataKey={`s${i}`} name={s.name} fill={s.color} isAnimationActive={false} maxBarSize={horizontal ? 18 : 90}>
          {spec.overTargetColor &&
            spec.points.map((p, j) => (
              <Cell key={j} fill={spec.target && p.values[i]! > spec.target.value ? spec.overTargetColor : s.color} />
            ))}
          <LabelList dataKey={`s${i}`} position={horizontal ? "right" : "top"} formatter={(v) => number(Number(v))} style={{ fontSize: 12, fill: TEXT }} />
        </Bar>
      ))}
      {targetLine(spec.target, horizontal ? "x" : "y")}
    </BarChart>
  );
}

function LinesChart({ spec }: { spec: Extract<ChartSpec, { kind: "line" }> }) {
  return (
    <LineChart width={spec.width} height={spec.height - 70} data={rows(spec.points)} margin={{ top: 24, right: spec.target ? TARGET_LABEL_SPACE : 40, bottom: 28, left: 16 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis
        dataKey="x"
        type="number"
        domain={[0, "auto"]}
        tick={FONT}
        stroke={MUTED}
        tickFormatter={number}
        label={{ value: spec.xAxis, position: "bottom", offset: 8, fill: TEXT, fontSize: 14 }}
      />
      <YAxis
        tick={FONT}
        stroke={MUTED}
        width={80}
        tickFormatter={number}
        domain={[0, "auto"]}
        label={{ value: spec.yAxis, angle: -90, position: "insideLeft", offset: 0, fill: TEXT, fontSize: 14, style: { textAnchor: "middle" } }}
      />
      {spec.series.length > 1 && <Legend verticalAlign="top" height={30} wrapperStyle={{ fontSize: 14, color: TEXT }} />}
      {spec.series.map((s, i) => (
        <Line
          key={i}
          dataKey={`s${i}`}
          name={s.name}
          stroke={s.color}
          strokeWidth={2.5}
          strokeDasharray={s.dashed ? "6 4" : undefined}
          dot={false}
          isAnimationActive={false}
        />
      ))}
      {targetLine(spec.target, "y")}
    </LineChart>
  );
}

function Figure({ spec }: { spec: ChartSpec }) {
  return (
    <figure style={{ margin: 0, padding: "16px 8px 8px", width: spec.width, background: "#fff", fontFamily: "'DejaVu Sans', 'Liberation Sans', sans-serif", color: TEXT }}>
      <figcaption style={{ padding: "0 16px", height: 54 }}>
        <div style={{ fontSize: 19, fontWeight: 700 }}>{spec.title}</div>
        <div style={{ fontSize: 13, color: MUTED, marginTop: 4 }}>{spec.subtitle}</div>
      </figcaption>
      {spec.kind === "bars" ? <BarsChart spec={spec} /> : <LinesChart spec={spec} />}
    </figure>
  );
}

const root = createRoot(document.getElementById("root")!);
(window as unknown as { renderChart: (spec: ChartSpec) => void }).renderChart = (spec) => root.render(<Figure spec={spec} />);
