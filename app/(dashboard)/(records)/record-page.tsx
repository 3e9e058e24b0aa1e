import { notFound } from "next/navigation";
import { loadView, type SearchParams, type View } from "@/lib/view/view";

// What the record pages (an issue, a visitor, a URL) share. They have no loading.tsx above them:
// each first checks cheaply that its record exists, so an unknown one answers a real 404, then
// streams its heavy parts behind <Pending>.

/** The loading state of a record page's body, sent once the record is known to exist. */
export function Pending({ what }: { what: string }) {
  return (
    <div className="panel">
      <p className="empty muted" aria-busy="true">
        {`Loading ${what}…`}
      </p>
    </div>
  );
}

/** The page's view; a 404 when the URL names a website there is none of. */
export async function loadRecordView(searchParams: SearchParams): Promise<View> {
  const [raw, view] = await Promise.all([searchParams, loadView(searchParams)]);
  const asked = Array.isArray(raw.website) ? raw.website[0] : raw.website;
  if (asked !== undefined && asked !== view.website?.id) notFound();
  return view;
}
