export default function Loading() {
  return (
    <>
      <h1>Visitors</h1>
      <div className="panel">
        <p className="empty muted" aria-busy="true">
          Loading visitors…
        </p>
      </div>
    </>
  );
}
