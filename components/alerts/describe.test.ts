import { describe, expect, it } from "vitest";
import type { AlertFigures } from "@/lib/alerts/types";
import { alertWhy, snoozeUntil } from "./describe";

const base: AlertFigures = { condition: "event_count", value: 57, threshold: 50, windowMinutes: 5, baseline: null, factor: null, series: [], issues: [], evaluatedAt: "" };

describe("alertWhy", () => {
  it("says what crossed which threshold", () => {
    expect(alertWhy(base)).toBe("57 events in 5 min, threshold 50");
    expect(alertWhy({ ...base, condition: "visitor_count", value: 1, threshold: 0 })).toBe("1 visitor in 5 min, threshold 0");
    expect(alertWhy({ ...base, condition: "spike", value: 120, threshold: 36, baseline: 12, factor: 3 })).toBe("120 in 5 min vs baseline 12 × 3");
    expect(alertWhy({ ...base, condition: "spike", value: 1234, baseline: 2.345, factor: 1.5 })).toBe("1,234 in 5 min vs baseline 2.3 × 1.5");
    expect(alertWhy({ ...base, condition: "new_issue", windowMinutes: null })).toBe("New issue");
    expect(alertWhy({ ...base, condition: "regression", windowMinutes: null })).toBe("Regressed");
  });

  it("writes whole hours as hours, and a spike without a baseline as learning", () => {
    expect(alertWhy({ ...base, windowMinutes: 1440 })).toBe("57 events in 24 h, threshold 50");
    expect(alertWhy({ ...base, windowMinutes: 90 })).toBe("57 events in 90 min, threshold 50");
    expect(alertWhy({ ...base, condition: "spike", value: 40, threshold: 20, factor: 3 })).toBe("40 in 5 min, still learning the baseline");
  });

  it("snoozes from now", () => {
    expect(snoozeUntil(8, Date.parse("2026-01-01T00:00:00Z"))).toBe("2026-01-01T08:00:00.000Z");
  });
});
