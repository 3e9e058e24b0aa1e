import { describe, expect, it } from "vitest";
import { derivedStatus, kindClass, percent } from "./status";

describe("derivedStatus", () => {
  const from = new Date("2026-11-29T00:00:00Z");
  it("is New when first seen inside the range, Ongoing before it", () => {
    expect(derivedStatus("2026-11-29T00:00:00.000Z", from)).toBe("New");
    expect(derivedStatus("2026-11-29T12:00:00.000Z", from)).toBe("New");
    expect(derivedStatus("2026-11-28T23:59:59.999Z", from)).toBe("Ongoing");
  });
});

describe("kindClass and percent", () => {
  it("keeps class names to letters", () => {
    expect(kindClass("NetError")).toBe("kind kind-NetError");
    expect(kindClass("x y\"<")).toBe("kind kind-other");
  });
  it("formats shares", () => {
    expect(percent(1)).toBe("100%");
    expect(percent(3 / 7)).toBe("43%");
    expect(percent(0.054)).toBe("5.4%");
    expect(percent(0)).toBe("0%");
    expect(percent(NaN)).toBe("—");
  });
});
