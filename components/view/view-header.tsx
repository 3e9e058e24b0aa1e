import type { ReactNode } from "react";
import { LiveRefresh } from "@/components/live/live-refresh";
import type { LiveView } from "@/lib/view/live";
import type { View } from "@/lib/view/view";
import { FilterBar, RangePicker, TimeZoneSync, WebsiteSwitcher, type Chip } from "./controls";

function chips(view: View): Chip[] {
  const { filters, labels } = view;
  const list: Chip[] = [];
  if (filters.country !== undefined) list.push({ param: "country", label: "Country", value: filters.country });
  if (filters.url !== undefined) list.push({ param: "url", label: "URL", value: filters.url });
  if (filters.visitorId !== undefined) list.push({ param: "visitor", label: "Visitor", value: labels.visitor ?? filters.visitorId });
  if (filters.issueId !== undefined) list.push({ param: "issue", label: "Issue", value: labels.issue ?? `#${filters.issueId}` });
  if (filters.prop !== undefined) list.push({ param: "prop", label: "Property", value: filters.prop });
  return list;
}

/**
 * The top of every dashboard page: its title, the website switcher and time range, the time
 * zone kept in the URL, and the filters. `filters={false}` hides the filter bar on pages that
 * do not filter; `live` keeps the page current as events arrive (components/live/live-refresh);
 * `children` go under the title (a subtitle, say).
 */
export function ViewHeader({
  title,
  view,
  filters = true,
  live,
  children,
}: {
  title: ReactNode;
  view: View;
  filters?: boolean;
  live?: LiveView | null;
  children?: ReactNode;
}) {
  return (
    <>
      <TimeZoneSync current={view.tzInUrl ? view.tz : null} />
      <div className="page-header">
        <div className="page-title">
          <h1>{title}</h1>
          {live && <LiveRefresh {...live} />}
        </div>
        <div className="view-controls">
          {view.website && <WebsiteSwitcher websites={view.websites} selected={view.website.id} />}
          <RangePicker selected={view.rangeId} from={view.from.toISOString()} to={view.to.toISOString()} timeZone={view.tz} />
        </div>
      </div>
      {view.notice && (
        <p className="notice" role="status">
          {view.notice}
        </p>
      )}
      {filters && <FilterBar kinds={view.filters.kind ?? null} chips={chips(view)} />}
      {children}
    </>
  );
}
