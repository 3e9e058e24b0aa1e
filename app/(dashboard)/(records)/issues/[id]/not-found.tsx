import Link from "next/link";

export default function IssueNotFound() {
  return (
    <>
      <h1>Issue not found</h1>
      <div className="panel">
        <div className="empty">
          <p>There is no such issue, or it belongs to another website.</p>
          <p>
            <Link href="/issues">Back to the issues</Link>
          </p>
        </div>
      </div>
    </>
  );
}
