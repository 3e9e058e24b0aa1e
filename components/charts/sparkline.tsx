/**
 * A tiny inline SVG line of counts, drawn on the server (no client JavaScript). The line is
 * scaled to its own maximum; an all-zero line lies flat at the bottom.
 */
export function Sparkline({ values, color, label }: { values: number[]; color: string; label: string }) {
  const width = 96;
  const height = 24;
  const pad = 2;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - pad - (v / max) * (height - 2 * pad)).toFixed(1)}`)
    .join(" ");
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
