// CSV and JSON downloads of the dashboard's lists and breakdowns: the route's usual answer, or
// with `format=csv|json` its rows as a file.
import { stringify } from "csv-stringify/sync";
import { ApiError } from "./errors";

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The most rows one download holds; a longer list is cut and says so in X-Export-Truncated. */
export const EXPORT_MAX_ROWS = 10_000;

export type ExportRow = Record<string, unknown>;

/** The requested download format, or null for the usual JSON answer. */
export function exportFormat(request: Request): ExportFormat | null {
  const format = new URL(request.url).searchParams.get("format");
  if (format === null) return null;
  if ((EXPORT_FORMATS as readonly string[]).includes(format)) return format as ExportFormat;
  throw new ApiError("bad_request", `format must be one of: ${EXPORT_FORMATS.join(", ")}.`, [{ path: "format", message: "Unknown format" }]);
}

/** Nested objects become dotted columns (`byKind.JSError`); arrays stay whole. */
function flatten(row: ExportRow, prefix = "", into: ExportRow = {}): ExportRow {
  for (const [key, value] of Object.entries(row)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
      flatten(value as ExportRow, name, into);
    } else {
      into[name] = value;
    }
  }
  return into;
}

// A spreadsheet runs a cell that starts with one of these as a formula; visitors' browsers
// choose these strings, so such a cell is written with a leading apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return value;
  const text = typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Rows as CSV (RFC 4180, a header row of every column seen, in order of appearance). */
export function toCsv(rows: ExportRow[]): string {
  const flat = rows.map((row) => flatten(row));
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  return stringify(
    flat.map((row) => columns.map((column) => cell(row[column]))),
    { header: true, columns, cast: { boolean: (value) => String(value) } },
  );
}

function download(format: ExportFormat, name: string, rows: ExportRow[], truncated: boolean): Response {
  const day = new Date().toISOString().slice(0, 10);
  const body = format === "csv" ? toCsv(rows) : JSON.stringify(rows, null, 2);
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-${day}.${format}"`,
      "x-export-truncated": String(truncated),
      "cache-control": "no-store",
    },
  });
}

type Pages<T> = {
  /** The rows of one result. */
  rows: (result: T) => ExportRow[];
  /** The cursor of the page after `result`, for paged lists. */
  next?: (result: T) => string | null;
  /** Where the request starts (its own `cursor`). */
  cursor?: string;
};

/**
 * A list or breakdown route's answer. Without `format`, `load(cursor, false)` as JSON. With
 * `format=csv|json`, a download of the rows of `load(cursor, true)` and of the pages after it
 * (for paged lists) up to EXPORT_MAX_ROWS; `exporting` lets the route ask for its largest pages.
 */
export async function exportable<T>(
  request: Request,
  name: string,
  load: (cursor: string | undefined, exporting: boolean) => Promise<T>,
  pages: Pages<T>,
): Promise<T | Response> {
  const format = exportFormat(request);
  if (format === null) return load(pages.cursor, false);
  const rows: ExportRow[] = [];
  let cursor = pages.cursor;
  let truncated = false;
  for (;;) {
    const result = await load(cursor, true);
    rows.push(...pages.rows(result));
    const next = pages.next?.(result) ?? null;
    if (rows.length >= EXPORT_MAX_ROWS) {
      truncated = rows.length > EXPORT_MAX_ROWS || next !== null;
      rows.length = Math.min(rows.length, EXPORT_MAX_ROWS);
      break;
    }
    if (next === null) break;
    cursor = next;
  }
  return download(format, name, rows, truncated);
}
