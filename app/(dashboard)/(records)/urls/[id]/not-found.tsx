import Link from "next/link";

export default function UrlNotFound() {
  return (
    <>
      <h1>URL not found</h1>
      <div className="panel url-missing" data-state="not-found">
        <div className="empty">
          <p>No failed requests to this URL on this website.</p>
          <p>
            <Link href="/urls">See the failing URLs</Link>
          </p>
        </div>
      </div>
    </>
  );
}
