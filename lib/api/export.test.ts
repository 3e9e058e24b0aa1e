import { describe, expect, it } from "vitest";
import { exportable, EXPORT_MAX_ROWS, toCsv } from "./export";

describe("toCsv", () => {
  it("writes a header of every column, quotes what needs it, and flattens nested objects", () => {
    const csv = toCsv([
      { id: "1", title: 'Say "hi", then\nleave', events: 3, byKind: { JSError: 2, NetError: 1 } },
      { id: "2", title: "plain", events: 0, extra: true },
    ]);
    expect(csv).toBe(
      'id,title,events,byKind.JSError,byKind.NetError,extra\n1,"Say ""hi"", then\nleave",3,2,1,\n2,plain,0,,,true\n',
    );
  });

  it("defuses cells a spreadsheet would run as formulas, but not numbers", () => {
    const csv = toCsv([{ a: "=HYPERLINK(\"http://evil\")", b: "+1", c: "-x", d: "@SUM(A1)", e: -5 }]);
    expect(csv.split("\n")[1]).toBe(`"'=HYPERLINK(""http://evil"")",'+1,'-x,'@SUM(A1),-5`);
  });
});

describe("exportable", () => {
  const request = (query: string) => new Request(`http://localhost/api/things?${query}`);

  it("answers the usual result without format", async () => {
    const result = await exportable(request(""), "things", async () => ({ n: 1 }), { rows: () => [] });
    expect(result).toEqual({ n: 1 });
  });

  it("downloads every page as CSV or JSON", async () => {
    const pages: Record<string, { rows: { i: number }[]; next: string | null }> = {
      start: { rows: [{ i: 1 }, { i: 2 }], next: "b" },
      b: { rows: [{ i: 3 }], next: null },
    };
    const load = async (cursor: string | undefined) => pages[cursor ?? "start"]!;
    const csv = (await exportable(request("format=csv"), "things", load, { rows: (r) => r.rows, next: (r) => r.next })) as Response;
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="things-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.headers.get("x-export-truncated")).toBe("false");
    expect(await csv.text()).toBe("i\n1\n2\n3\n");
    const json = (await exportable(request("format=json"), "things", load, { rows: (r) => r.rows, next: (r) => r.next })) as Response;
    expect(await json.json()).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it("stops at the row limit and says so", async () => {
    let calls = 0;
    const load = async () => {
      calls++;
      return Array.from({ length: 1000 }, (_, i) => ({ i }));
    };
    const response = (await exportable(request("format=json"), "things", load, { rows: (r) => r, next: () => "more" })) as Response;
    expect(((await response.json()) as unknown[]).length).toBe(EXPORT_MAX_ROWS);
    expect(response.headers.get("x-export-truncated")).toBe("true");
    expect(calls).toBe(EXPORT_MAX_ROWS / 1000);
  });

  it("refuses an unknown format with a 400", async () => {
    await expect(exportable(request("format=xml"), "things", async () => 1, { rows: () => [] })).rejects.toMatchObject({ status: 400 });
  });
});
