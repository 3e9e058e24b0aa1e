/** `href` (a path with a query string) with `params` set; null, undefined or "" removes one. */
export function withParams(href: string, params: Record<string, string | number | null | undefined>): string {
  const [path, query = ""] = href.split("?", 2) as [string, string?];
  const search = new URLSearchParams(query);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") search.delete(key);
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path!;
}

/** An API path with the view's scope (websiteId, from, to, tz and filters) and `params`. */
export function apiHref(path: string, scope: Record<string, string>, params: Record<string, string | number | null | undefined> = {}): string {
  return withParams(`${path}?${new URLSearchParams(scope).toString()}`, params);
}

/** The first value of a page search parameter. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
