/** Axis and tooltip labels for time buckets, in the viewer's time zone (shared by the charts). */

export function tickFormatter(bucketMinutes: number, timeZone: string, rangeDays: number) {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    ...(rangeDays > 1 ? { day: "numeric", month: "short" } : {}),
    ...(bucketMinutes < 1440 ? { hour: "2-digit", minute: "2-digit" } : {}),
  });
  return (t: string) => format.format(new Date(t));
}

export function tooltipFormatter(timeZone: string, bucketMinutes: number) {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    dateStyle: "medium",
    ...(bucketMinutes < 1440 ? { timeStyle: "short" } : {}),
  });
  return (t: unknown) => format.format(new Date(String(t)));
}

/**
 * Axis ticks for a compact chart: over a day or more, one tick per midnight in `timeZone`
 * labelled "29 Nov" (buckets line up with midnight there); under a day, the hours ("14:00").
 */
export function compactTicks(times: string[], bucketMinutes: number, timeZone: string) {
  const rangeDays = (times.length * bucketMinutes) / 1440;
  if (rangeDays <= 1.05) {
    const format = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" });
    return { ticks: undefined, format: (t: string) => format.format(new Date(t)) };
  }
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const day = new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short" });
  const midnights = times.filter((t) => clock.format(new Date(t)) === "00:00");
  return { ticks: midnights.length >= 2 ? midnights : undefined, format: (t: string) => day.format(new Date(t)) };
}
