"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { RANGES } from "./ranges";


function useHref() {
  const pathname = usePathname();
  const params = useSearchParams();
  return (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    return `${pathname}?${next.toString()}`;
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
  const href = useHref();
  return (
    <label className="inline-field">
      <span>Website</span>
      <select value={selected} onChange={(event) => router.push(href({ website: event.target.value }))}>
        {websites.map((website) => (
          <option key={website.id} value={website.id}>
            {website.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RangePicker({ selected }: { selected: string }) {
  const href = useHref();
  return (
    <nav className="segmented" aria-label="Time range">
      {RANGES.map((range) => (
        <Link key={range.id} href={href({ range: range.id })} aria-current={range.id === selected ? "true" : undefined}>
          {range.label}
        </Link>
      ))}
    </nav>
  );
}
