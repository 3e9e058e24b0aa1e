/**
 * The `next` query parameter of the sign-in page as a local path to go to after signing in,
 * or "/" when it is missing or points anywhere else (another host, a protocol-relative
 * "//host" URL, a "/\host" path that browsers treat like one, the API, the sign-in page).
 */
export function safeNextPath(next: string | string[] | undefined): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f]/.test(next)) return "/";
  const base = "http://local.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  if (url.pathname.startsWith("/api/") || url.pathname === "/sign-in") return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
