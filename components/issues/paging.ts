// Keyset paging kept in the URL: a page param holds the cursors of every page after the
// first ("c1.c2.c3"), so "Previous" drops the last one and "Next" appends the API's nextCursor.
// Cursors are base64url, so "." never occurs in one.

const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
const MAX_PAGES = 40;

/** The cursors in a page param (anything malformed means: the first page). */
export function parseTrail(value: string | string[] | undefined): string[] {
  if (typeof value !== "string" || value === "") return [];
  const cursors = value.split(".");
  return cursors.length <= MAX_PAGES && cursors.every((c) => CURSOR.test(c)) ? cursors : [];
}

/** The param values for the previous and next pages (null where there is none; "" is the first page). */
export function trailLinks(trail: string[], nextCursor: string | null): { previous: string | null; next: string | null } {
  return {
    previous: trail.length === 0 ? null : trail.slice(0, -1).join("."),
    next: nextCursor && trail.length < MAX_PAGES ? [...trail, nextCursor].join(".") : null,
  };
}
