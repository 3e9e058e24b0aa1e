import { describe, expect, it } from "vitest";
import { groupEvent, normalizeMessage, templateUrl } from "./fingerprint";

const js = (message: string | null) => groupEvent({ kind: "JSError", message });
const click = (message: string | null) => groupEvent({ kind: "ErrorClick", message });
const net = (method: string | null, url: string | null, status: number | null) =>
  groupEvent({ kind: "NetError", method, url, status });
const custom = (name: string | null) => groupEvent({ kind: "Custom", name });

describe("normalizeMessage", () => {
  it("replaces numbers", () => {
    expect(normalizeMessage("Request 12 failed after 3.5s")).toBe(normalizeMessage("Request 4096 failed after 10.25s"));
    expect(normalizeMessage("Request 12 failed")).not.toContain("12");
  });

  it("replaces UUIDs, in either case", () => {
    const a = normalizeMessage("Order 550e8400-e29b-41d4-a716-446655440000 not found");
    const b = normalizeMessage("Order 6BA7B810-9DAD-11D1-80B4-00C04FD430C8 not found");
    expect(a).toBe(b);
    expect(a).not.toContain("550e8400");
  });

  it("replaces hex hashes", () => {
    const a = normalizeMessage("Loading chunk a94a8fe5ccb19ba61c4c0873d391e987982fbbd3 failed");
    const b = normalizeMessage("Loading chunk 3f786850e387550fdab836ed7e6dc881de23001b failed");
    expect(a).toBe(b);
    expect(normalizeMessage("Failed to load /static/main.8f3a2b1c.js")).toBe(
      normalizeMessage("Failed to load /static/main.d41d8cd9.js"),
    );
  });

  it("replaces single-, double- and backtick-quoted values", () => {
    expect(normalizeMessage("Cannot read properties of undefined (reading 'price')")).toBe(
      normalizeMessage("Cannot read properties of undefined (reading 'name')"),
    );
    expect(normalizeMessage('Unexpected token "<" in JSON')).toBe(normalizeMessage('Unexpected token "}" in JSON'));
    expect(normalizeMessage("Unknown template `header`")).toBe(normalizeMessage("Unknown template `footer`"));
  });

  it("replaces a quoted value in a message that also has an apostrophe", () => {
    // e.g. `can't redefine non-configurable property 'x'`, or app errors like `Couldn't load module 'cart'`.
    expect(normalizeMessage("Couldn't load module 'cart'")).toBe(normalizeMessage("Couldn't load module 'checkout'"));
  });

  it("keeps the words, so different messages stay different", () => {
    expect(normalizeMessage("product is not defined")).toBe("product is not defined");
    expect(normalizeMessage("product is not defined")).not.toBe(normalizeMessage("cart is not defined"));
  });

  it("collapses whitespace", () => {
    expect(normalizeMessage("  a \n\t b  ")).toBe("a b");
  });
});

describe("templateUrl", () => {
  it("drops the query and fragment and templates a numeric segment", () => {
    expect(templateUrl("https://api.x.io/products/1?x=2#f")).toBe("https://api.x.io/products/:id");
    expect(templateUrl("https://api.x.io/products/77")).toBe("https://api.x.io/products/:id");
  });

  it("templates UUID, long hex and long token-with-digit segments, and leaves words alone", () => {
    expect(templateUrl("https://a.io/orders/550e8400-e29b-41d4-a716-446655440000/items")).toBe(
      "https://a.io/orders/:id/items",
    );
    expect(templateUrl("https://a.io/blobs/a94a8fe5ccb19ba61c4c0873d391e987982fbbd3")).toBe("https://a.io/blobs/:id");
    expect(templateUrl("https://a.io/sessions/Xk9vQ2LmZp7RtY4wBn3c")).toBe("https://a.io/sessions/:id");
    expect(templateUrl("https://a.io/api/v1/products/list")).toBe("https://a.io/api/v1/products/list");
  });

  it("templates several id segments in one path", () => {
    expect(templateUrl("https://a.io/users/42/orders/1001")).toBe("https://a.io/users/:id/orders/:id");
  });

  it("templates relative URLs as paths, dropping query and fragment", () => {
    expect(templateUrl("/products/12?page=2")).toBe("/products/:id");
    expect(templateUrl("/products/12#reviews")).toBe("/products/:id");
    expect(templateUrl("api/products/12")).toBe("api/products/:id");
  });

  it("does not throw for strings that are not URLs", () => {
    expect(() => templateUrl("not a url at all")).not.toThrow();
    expect(() => templateUrl("::::")).not.toThrow();
    expect(() => templateUrl("")).not.toThrow();
    expect(() => templateUrl("http://[bad")).not.toThrow();
    expect(templateUrl("not a url at all")).toBe("not a url at all");
  });
});

describe("groupEvent: JSError and ErrorClick", () => {
  it("groups messages that differ only in numbers, UUIDs, hashes or quoted values", () => {
    expect(js("Timeout after 3000ms on attempt 2").fingerprint).toBe(js("Timeout after 5000ms on attempt 7").fingerprint);
    expect(js("Cart 550e8400-e29b-41d4-a716-446655440000 is locked").fingerprint).toBe(
      js("Cart 123e4567-e89b-12d3-a456-426614174000 is locked").fingerprint,
    );
    expect(js("ChunkLoadError: chunk 8f3a2b1c9d failed").fingerprint).toBe(
      js("ChunkLoadError: chunk 0e1d2c3b4a failed").fingerprint,
    );
    expect(js("Cannot read properties of undefined (reading 'price')").fingerprint).toBe(
      js("Cannot read properties of undefined (reading 'sku')").fingerprint,
    );
    expect(click("Invalid value 42 for \"qty\"").fingerprint).toBe(click("Invalid value 7 for \"size\"").fingerprint);
  });

  it("keeps different messages apart", () => {
    expect(js("product is not defined").fingerprint).not.toBe(js("cart is not defined").fingerprint);
    expect(js("ProductCatalog: product is not valid").fingerprint).not.toBe(
      js("ProductCatalog: product is not found").fingerprint,
    );
  });

  it("keeps the same message under JSError and ErrorClick in different groups", () => {
    expect(js("product is not defined").fingerprint).not.toBe(click("product is not defined").fingerprint);
  });

  it("is deterministic", () => {
    expect(js("product is not defined")).toEqual(js("product is not defined"));
    expect(js("x").fingerprint).toMatch(/^[0-9a-f]+$/);
  });

  it("titles a JSError with its message as received, not normalized", () => {
    const message = "ProductCatalog: product 42 'abc' is not valid (550e8400-e29b-41d4-a716-446655440000)";
    expect(js(message).title).toBe(message);
    expect(click("product is not defined").title).toBe("product is not defined");
  });

  it("truncates a long title to at most 500 characters", () => {
    const title = js("x".repeat(5_000)).title;
    expect(title.length).toBeLessThanOrEqual(500);
    expect(title.length).toBeGreaterThan(400);
    expect(title.startsWith("x".repeat(400))).toBe(true);
    expect(js("y".repeat(500)).title).toBe("y".repeat(500));
  });

  it("does not cut a surrogate pair in half when truncating a title", () => {
    // Titles are stored; a lone surrogate would not read back unchanged.
    const title = js(`${"a".repeat(498)}😀${"b".repeat(10)}`).title;
    expect(title.length).toBeLessThanOrEqual(500);
    expect(title.isWellFormed()).toBe(true);
  });
});

describe("groupEvent: NetError", () => {
  it("groups by method, templated URL without query or fragment, and status", () => {
    expect(net("GET", "https://api.x.io/products/1?x=2#f", 500).fingerprint).toBe(
      net("GET", "https://api.x.io/products/77", 500).fingerprint,
    );
  });

  it("differs by status", () => {
    expect(net("GET", "https://api.x.io/products/1", 500).fingerprint).not.toBe(
      net("GET", "https://api.x.io/products/1", 404).fingerprint,
    );
  });

  it("differs by method", () => {
    expect(net("GET", "https://api.x.io/products/1", 500).fingerprint).not.toBe(
      net("POST", "https://api.x.io/products/1", 500).fingerprint,
    );
  });

  it("differs by path and by host", () => {
    expect(net("GET", "https://api.x.io/products/1", 500).fingerprint).not.toBe(
      net("GET", "https://api.x.io/orders/1", 500).fingerprint,
    );
    expect(net("GET", "https://api.x.io/products/1", 500).fingerprint).not.toBe(
      net("GET", "https://api.y.io/products/1", 500).fingerprint,
    );
  });

  it("groups relative URLs the same way", () => {
    expect(net("GET", "/products/1?x=2", 500).fingerprint).toBe(net("GET", "/products/99", 500).fingerprint);
  });

  it("does not throw for a URL that is not a URL", () => {
    expect(() => net("GET", "not a url", 500)).not.toThrow();
    expect(() => net(null, null, null)).not.toThrow();
  });

  it("titles like `GET https://api.livesession.io/products/:id 500`", () => {
    expect(net("GET", "https://api.livesession.io/products/1", 500).title).toBe(
      "GET https://api.livesession.io/products/:id 500",
    );
  });

  it("truncates a long title to at most 500 characters", () => {
    const title = net("GET", `https://api.x.io/${"a".repeat(1_000)}`, 500).title;
    expect(title.length).toBeLessThanOrEqual(500);
    expect(title.startsWith("GET https://api.x.io/aaaa")).toBe(true);
  });

  it("is not a JSError group", () => {
    expect(net("GET", "/x", 500).fingerprint).not.toBe(js("GET /x 500").fingerprint);
  });
});

describe("groupEvent: Custom and RageClick", () => {
  it("groups Custom events by name", () => {
    expect(custom("Product added").fingerprint).toBe(custom("Product added").fingerprint);
    expect(custom("Product added").fingerprint).not.toBe(custom("Product removed").fingerprint);
    expect(custom("Product added").title).toBe("Product added");
  });

  it("keeps a Custom event apart from other kinds with the same text", () => {
    expect(custom("product is not defined").fingerprint).not.toBe(js("product is not defined").fingerprint);
    expect(custom("RageClick").fingerprint).not.toBe(groupEvent({ kind: "RageClick" }).fingerprint);
  });

  it("puts every RageClick in one group", () => {
    const a = groupEvent({ kind: "RageClick" });
    const b = groupEvent({ kind: "RageClick" });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(custom(null).fingerprint);
    expect(a.title.length).toBeGreaterThan(0);
  });

  it("gives an unknown kind its own group", () => {
    expect(groupEvent({ kind: "PageCrash" }).fingerprint).not.toBe(groupEvent({ kind: "RageClick" }).fingerprint);
    expect(groupEvent({ kind: "PageCrash" }).fingerprint).toBe(groupEvent({ kind: "PageCrash" }).fingerprint);
  });

  it("truncates a long Custom title to at most 500 characters", () => {
    expect(custom("n".repeat(1_000)).title.length).toBeLessThanOrEqual(500);
  });
});
