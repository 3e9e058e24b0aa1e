import Link from "next/link";

export default function VisitorNotFound() {
  return (
    <div className="panel">
      <div className="empty">
        <h1>Visitor not found</h1>
        <p>This website has no visitor with that id. They may belong to another website.</p>
        <p>
          <Link href="/visitors">All visitors</Link>
        </p>
      </div>
    </div>
  );
}
