"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { zoneOffsetMinutes } from "@/lib/queries/buckets";
import { RANGES, type RangeId } from "@/lib/view/ranges";

/** Parameters that belong to one website's data: dropped when switching websites. */
const WEBSITE_SCOPED = ["visitor", "issue", "url", "prop"];

/**
 * Builds links to the current page with some parameters changed (null removes one). Any
 * change of view starts paged lists from their first page again (the cursor is dropped).
 */
export function useViewHref() {
  const pathname = usePathname();
  const params = useSearchParams();
  return (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("cursor");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const query = next.toString();
    return query ? `${pathname}?${query}` : pathname;
  };
}

/** Puts the browser's time zone in the URL when it has none, so the view (and a shared link) uses it. */
export function TimeZoneSync({ current }: { current: string | null }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (current || !zone || zone === "UTC") return;
    const url = new URL(window.location.href);
    url.searchParams.set("tz", zone);
    router.replace(`${url.pathname}?${url.searchParams.toString()}`);
  }, [current, router]);
  return null;
}

export function WebsiteSwitcher({ websites, selected }: { websites: { id: string; label: string }[]; selected: string }) {
  const router = useRouter();
  const href = useViewHref();
  return (
    <label className="inline-field">
      <span>Website</span>
      <select
        value={selected}
        onChange={(event) => router.push(href({ website: event.target.value, ...Object.fromEntries(WEBSITE_SCOPED.map((key) => [key, null])) }))}
      >
        {websites.map((website) => (
          <option key={website.id} value={website.id}>
            {website.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** `YYYY-MM-DDTHH:mm` of an instant in a time zone, as a datetime-local input shows it. */
function localInputValue(at: Date, timeZone: string): string {
  const minute = 60_000;
  const wall = Math.floor(at.getTime() / minute) * minute + zoneOffsetMinutes(at, timeZone) * minute;
  return new Date(wall).toISOString().slice(0, 16);
}

export function RangePicker({ selected, from, to, timeZone }: { selected: RangeId; from: string; to: string; timeZone: string }) {
  const href = useViewHref();
  const router = useRouter();
  const [open, setOpen] = useState(selected === "custom");
  const id = useId();
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    router.push(href({ range: "custom", from: String(form.get("from")), to: String(form.get("to")) }));
  };
  return (
    <div className="range-picker">
      <nav className="segmented" aria-label="Time range">
        {RANGES.map((range) => (
          <Link key={range.id} href={href({ range: range.id, from: null, to: null })} aria-current={range.id === selected ? "true" : undefined}>
            {range.label}
          </Link>
        ))}
        <button type="button" aria-expanded={open} aria-controls={id} aria-current={selected === "custom" ? "true" : undefined} onClick={() => setOpen(!open)}>
          Custom
        </button>
      </nav>
      {open && (
        <form id={id} className="custom-range" onSubmit={apply} aria-label="Custom time range">
          <label>
            <span>From</span>
            <input type="datetime-local" name="from" required defaultValue={localInputValue(new Date(from), timeZone)} />
          </label>
          <label>
            <span>To</span>
            <input type="datetime-local" name="to" required defaultValue={localInputValue(new Date(to), timeZone)} />
          </label>
          <button type="submit" className="button button-primary button-small">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}

/** A link that sets (or, with null, clears) filters of the current view: a table cell's value, say. */
export function FilterLink({ set, title, className, children }: { set: Record<string, string | null>; title?: string; className?: string; children: ReactNode }) {
  const href = useViewHref();
  return (
    <Link href={href(set)} title={title ?? "Filter by this"} className={className ?? "filter-link"}>
      {children}
    </Link>
  );
}

export type Chip = { param: string; label: string; value: string };

const KIND_OPTIONS = [
  { kind: "JSError", label: "JS errors" },
  { kind: "NetError", label: "Network errors" },
  { kind: "ErrorClick", label: "Error clicks" },
  { kind: "RageClick", label: "Rage clicks" },
  { kind: "Custom", label: "Custom" },
];

const ADDABLE = [
  { param: "country", label: "Country", placeholder: "PL (empty for unknown)" },
  { param: "url", label: "URL", placeholder: "https://shop.example/products/:id" },
  { param: "visitor", label: "Visitor id", placeholder: "visitor id" },
  { param: "issue", label: "Issue id", placeholder: "issue id" },
  { param: "prop", label: "Custom property", placeholder: "plan_str:pro" },
];

/**
 * The view's filters: kind toggles, a chip per active filter (with a remove link), and a small
 * form to add one by hand. Values a visitor's browser sent are shown as text.
 */
export function FilterBar({ kinds, chips }: { kinds: string[] | null; chips: Chip[] }) {
  const href = useViewHref();
  const router = useRouter();
  const [param, setParam] = useState(ADDABLE[0]!.param);
  const selected = new Set(kinds ?? []);
  const toggle = (kind: string) => {
    const next = new Set(selected);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    return href({ kind: next.size ? KIND_OPTIONS.map((o) => o.kind).filter((k) => next.has(k)).join(",") : null });
  };
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("value") ?? "");
    if (value.trim() === "" && param !== "country") return;
    router.push(href({ [param]: value.trim() }));
  };
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <nav className="kind-toggles" aria-label="Kinds">
        {KIND_OPTIONS.map((option) => (
          <Link key={option.kind} href={toggle(option.kind)} aria-pressed={selected.has(option.kind)} className="kind-toggle" data-kind={option.kind}>
            {option.label}
          </Link>
        ))}
      </nav>
      <ul className="filter-chips" aria-label="Active filters">
        {chips.map((chip) => (
          <li key={chip.param} className="filter-chip">
            <span className="filter-chip-label">{chip.label}:</span> <span className="filter-chip-value">{chip.value === "" ? "(unknown)" : chip.value}</span>
            <Link href={href({ [chip.param]: null })} aria-label={`Remove the ${chip.label.toLowerCase()} filter`} className="filter-chip-remove">
              ×
            </Link>
          </li>
        ))}
      </ul>
      <form className="add-filter" onSubmit={add} aria-label="Add a filter">
        <select aria-label="Filter" value={param} onChange={(event) => setParam(event.target.value)}>
          {ADDABLE.map((option) => (
            <option key={option.param} value={option.param}>
              {option.label}
            </option>
          ))}
        </select>
        <input name="value" aria-label="Value" placeholder={ADDABLE.find((o) => o.param === param)?.placeholder} maxLength={2000} />
        <button type="submit" className="button button-secondary button-small">
          Add filter
        </button>
      </form>
    </div>
  );
}
