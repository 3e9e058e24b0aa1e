/**
 * Where a row of an overview section leads, as data (it crosses from the server page to the
 * client sections): a filter of this view on the row's key, or a page of ours for the key with
 * the view's query string.
 */
export type RowLink = { filter: string } | { page: string; search: string };

/** `path` with the view's query string (`search`, without "?"; empty for none). */
export function pageHref(path: string, search: string): string {
  return search ? `${path}?${search}` : path;
}
