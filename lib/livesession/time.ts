const DAY_SECONDS = 86_400;

/** The units LiveSession's `time` has been seen in, as divisors to seconds. */
const UNITS = [1, 10, 1_000, 1_000_000] as const;

/**
 * A reliable occurrence time in seconds. `time` is read as seconds, deciseconds, milliseconds
 * or microseconds, whichever lands nearest `reference` (the delivery's `created_at`); when no
 * reading is within a day of it, or `time` is missing, `reference` is used.
 */
export function occurrenceSeconds(time: number | null | undefined, reference: number): number {
  if (time == null || !Number.isFinite(time)) return reference;
  let best = reference;
  let bestDistance = Infinity;
  for (const divisor of UNITS) {
    const seconds = time / divisor;
    const distance = Math.abs(seconds - reference);
    if (distance < bestDistance) {
      best = seconds;
      bestDistance = distance;
    }
  }
  return bestDistance <= DAY_SECONDS ? best : reference;
}
