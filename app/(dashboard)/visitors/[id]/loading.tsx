export default function Loading() {
  return (
    <div className="panel">
      <p className="empty muted" aria-busy="true">
        Loading the visitor…
      </p>
    </div>
  );
}
