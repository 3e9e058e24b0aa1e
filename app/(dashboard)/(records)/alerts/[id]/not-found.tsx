import Link from "next/link";

export default function AlertNotFound() {
  return (
    <>
      <h1>Alert not found</h1>
      <div className="panel">
        <div className="empty">
          <p>There is no such alert; it may have gone with its rule.</p>
          <p>
            <Link href="/alerts">Back to the alerts</Link>
          </p>
        </div>
      </div>
    </>
  );
}
