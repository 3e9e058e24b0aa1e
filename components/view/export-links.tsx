/**
 * Download links for a list or breakdown API (`href` with its query string): the same rows as
 * CSV or JSON, up to the API's export limit.
 */
export function ExportLinks({ href, label = "Export" }: { href: string; label?: string }) {
  const withFormat = (format: string) => `${href}${href.includes("?") ? "&" : "?"}format=${format}`;
  return (
    <span className="export-links">
      <span className="export-label">{label}</span>
      <a href={withFormat("csv")} download className="button button-secondary button-small">
        CSV
      </a>
      <a href={withFormat("json")} download className="button button-secondary button-small">
        JSON
      </a>
    </span>
  );
}
