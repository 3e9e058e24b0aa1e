import { describe, expect, it } from "vitest";
import { parseTrail, trailLinks } from "./paging";

describe("page trails", () => {
  it("parses cursors and refuses anything else", () => {
    expect(parseTrail(undefined)).toEqual([]);
    expect(parseTrail("")).toEqual([]);
    expect(parseTrail("abc.d-_e")).toEqual(["abc", "d-_e"]);
    expect(parseTrail("abc..d")).toEqual([]);
    expect(parseTrail("a b")).toEqual([]);
    expect(parseTrail(["a", "b"])).toEqual([]);
  });
  it("links the previous and next pages", () => {
    expect(trailLinks([], "n1")).toEqual({ previous: null, next: "n1" });
    expect(trailLinks(["n1"], "n2")).toEqual({ previous: "", next: "n1.n2" });
    expect(trailLinks(["n1", "n2"], null)).toEqual({ previous: "n1", next: null });
  });
});
