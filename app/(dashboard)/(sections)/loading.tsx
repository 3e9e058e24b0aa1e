// Shown while a section's page renders. The record pages (an issue, a visitor, a URL) are in
// (records), outside this boundary: they must decide on a 404 before the response streams.
export default function Loading() {
  return <p className="muted" aria-busy="true">Loading…</p>;
}
