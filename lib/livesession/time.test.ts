import { describe, expect, it } from "vitest";
import { occurrenceSeconds } from "./time";

const DAY = 86_400;
/** created_at of the LiveSession docs' examples: 2023-08-04T15:11:21Z. */
const REF = 1_691_161_881;

describe("occurrenceSeconds", () => {
  it("reads the docs' example time (16911618810) as deciseconds, landing on created_at", () => {
    expect(occurrenceSeconds(16_911_618_810, 1_691_161_881)).toBe(1_691_161_881);
  });

  it("reads a time in seconds as seconds", () => {
    expect(occurrenceSeconds(REF - 900, REF)).toBe(REF - 900);
    expect(occurrenceSeconds(REF + 3_600, REF)).toBe(REF + 3_600);
  });

  it("reads a time in deciseconds with its sub-second part", () => {
    expect(occurrenceSeconds((REF - 60) * 10 + 5, REF)).toBeCloseTo(REF - 60 + 0.5, 6);
  });

  it("reads a time in milliseconds", () => {
    expect(occurrenceSeconds((REF - 120) * 1_000, REF)).toBe(REF - 120);
  });

  it("keeps the sub-second precision of a millisecond time", () => {
    const result = occurrenceSeconds(1_691_161_881_234, REF);
    expect(result).toBeCloseTo(1_691_161_881.234, 6);
    expect(result).not.toBe(REF);
  });

  it("reads a time in microseconds", () => {
    expect(occurrenceSeconds((REF + 42) * 1_000_000, REF)).toBe(REF + 42);
    expect(occurrenceSeconds(1_691_161_881_234_567, REF)).toBeCloseTo(1_691_161_881.234567, 5);
  });

  it("uses the reference when the time is more than a day away in every unit", () => {
    const twoDays = 2 * DAY;
    expect(occurrenceSeconds(REF + twoDays, REF)).toBe(REF); // seconds
    expect(occurrenceSeconds((REF - twoDays) * 10, REF)).toBe(REF); // deciseconds
    expect(occurrenceSeconds((REF + twoDays) * 1_000, REF)).toBe(REF); // milliseconds
    expect(occurrenceSeconds((REF - twoDays) * 1_000_000, REF)).toBe(REF); // microseconds
    expect(occurrenceSeconds(0, REF)).toBe(REF);
    expect(occurrenceSeconds(-16_911_618_810, REF)).toBe(REF);
    expect(occurrenceSeconds(1e300, REF)).toBe(REF);
  });

  it("accepts a time exactly one day away and rejects one a second further", () => {
    expect(occurrenceSeconds(REF + DAY, REF)).toBe(REF + DAY);
    expect(occurrenceSeconds(REF - DAY, REF)).toBe(REF - DAY);
    expect(occurrenceSeconds((REF + DAY) * 1_000, REF)).toBe(REF + DAY);
    expect(occurrenceSeconds(REF + DAY + 1, REF)).toBe(REF);
    expect(occurrenceSeconds((REF - DAY - 1) * 1_000, REF)).toBe(REF);
  });

  it("uses the reference when time is null, undefined or not finite", () => {
    expect(occurrenceSeconds(null, REF)).toBe(REF);
    expect(occurrenceSeconds(undefined, REF)).toBe(REF);
    expect(occurrenceSeconds(Number.NaN, REF)).toBe(REF);
    expect(occurrenceSeconds(Number.POSITIVE_INFINITY, REF)).toBe(REF);
    expect(occurrenceSeconds(Number.NEGATIVE_INFINITY, REF)).toBe(REF);
  });

  it("works against a fractional reference (a receive time in ms / 1000)", () => {
    const reference = 1_691_161_881.5;
    expect(occurrenceSeconds(16_911_618_810, reference)).toBe(1_691_161_881);
    expect(occurrenceSeconds(null, reference)).toBe(reference);
  });
});
