/** The page of a dashboard section before any webhook has arrived. */
export function NoWebsites({ title }: { title: string }) {
  return (
    <>
      <h1>{title}</h1>
      <div className="panel">
        <div className="empty">
          <p>No events yet.</p>
          <p>
            Point a LiveSession <code>session.event</code> webhook at <code>/api/webhooks/livesession</code>, or run{" "}
            <code>npm run simulate</code> to see demo data.
          </p>
        </div>
      </div>
    </>
  );
}
