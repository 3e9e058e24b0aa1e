"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useId, useState, type ReactNode } from "react";
import type { AlertListItem } from "@/lib/queries/get-alerts";
import { apiFetch } from "../api-client";
import { Sparkline } from "../charts/sparkline";
import { Alert, useAction } from "../forms";
import { AssigneeSelect } from "../issues/triage-selects";
import { LiveStatusBadge } from "../live/live-status";
import { LoadState } from "../settings/load-state";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { AlertActions, type AlertChangeBody, type Member } from "./alert-actions";
import { AlertStateBadge } from "./alert-state-badge";
import { alertWhy, SNOOZE_HOURS, snoozeUntil } from "./describe";
import { useAlertFeed } from "./use-alert-feed";

type Option = { id: string; name: string };
type Result = { alerts: AlertListItem[]; nextCursor: string | null };

const STATE_FILTERS = [
  ["open", "Open"],
  ["firing", "Firing"],
  ["acknowledged", "Acknowledged"],
  ["snoozed", "Snoozed"],
  ["resolved", "Resolved"],
  ["all", "All"],
] as const;
const FILTER_KEYS = ["state", "website", "rule", "assignee"] as const;
const PAGE_SIZE = 50;

/**
 * The live alert inbox. Filters and the page are in the URL; the list is read from
 * /api/alerts and read again (at most once a second) whenever any alert changes.
 */
export function AlertsInbox({
  websites,
  rules,
  members,
  canTriage,
  canEditRules,
}: {
  websites: Option[];
  rules: (Option & { websiteId: string })[];
  members: Member[];
  canTriage: boolean;
  canEditRules: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = Object.fromEntries(FILTER_KEYS.map((key) => [key, search.get(key) ?? ""])) as Record<(typeof FILTER_KEYS)[number], string>;
  const cursors = (search.get("cursor") ?? "").split(".").filter(Boolean);
  const api = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.state) api.set("state", filters.state);
  if (filters.website) api.set("websiteId", filters.website);
  if (filters.rule) api.set("ruleId", filters.rule);
  if (filters.assignee) api.set("assignee", filters.assignee);
  if (cursors.length) api.set("cursor", cursors.at(-1)!);
  const { data, error, loading, reload } = useApiData<Result>(`/api/alerts?${api.toString()}`);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const refresh = useCallback(() => {
    reload();
    // The firing count next to the Alerts link is rendered on the server.
    router.refresh();
  }, [reload, router]);
  const status = useAlertFeed(refresh);

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(search.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSelected(new Set());
    router.replace(`${pathname}${next.size ? `?${next.toString()}` : ""}`, { scroll: false });
  };

  const alerts = data?.alerts ?? [];
  const filtered = FILTER_KEYS.some((key) => filters[key] !== "" && !(key === "state" && filters.state === "open"));
  const shownRules = filters.website ? rules.filter((r) => r.websiteId === filters.website) : rules;

  return (
    <>
      <div className="section-head alerts-head">
        <div>
          <h1>Alerts</h1>
          <p className="subtitle">What your alert rules caught, newest first. Changes by anyone show here as they happen.</p>
        </div>
        <LiveStatusBadge status={status} title="Updates as alerts change" />
      </div>
      <form className="list-toolbar alert-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="State" value={filters.state || "open"} onChange={(v) => go({ state: v === "open" ? null : v, cursor: null })}>
          {STATE_FILTERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Website" value={filters.website} onChange={(v) => go({ website: v, rule: null, cursor: null })}>
          <option value="">All websites</option>
          {websites.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Rule" value={filters.rule} onChange={(v) => go({ rule: v, cursor: null })}>
          <option value="">All rules</option>
          {shownRules.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Assignee" value={filters.assignee} onChange={(v) => go({ assignee: v, cursor: null })}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Nobody</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </FilterSelect>
        {filtered ? (
          <button type="button" className="button button-small button-secondary" onClick={() => go({ state: null, website: null, rule: null, assignee: null, cursor: null })}>
            Clear filters
          </button>
        ) : null}
      </form>
      {canTriage && alerts.length > 0 ? (
        <BulkBar
          ids={alerts.map((a) => a.id)}
          selected={selected}
          setSelected={setSelected}
          members={members}
          onChanged={refresh}
        />
      ) : null}
      <section className="panel" aria-label="Alerts" aria-busy={loading}>
        <LoadState loading={loading && !data} error={error} reload={reload} what="alerts">
          {alerts.length === 0 ? (
            <div className="empty">
              {filtered ? (
                <p>No alerts match these filters.</p>
              ) : (
                <>
                  <p className="strong">No alerts firing</p>
                  <p>
                    {canEditRules ? (
                      <>
                        <Link href="/settings/alert-rules">Create an alert rule</Link> to be told when errors pile up, spike, or a new issue appears.
                      </>
                    ) : (
                      <>
                        Alerts appear here when one of the <Link href="/settings/alert-rules">alert rules</Link> fires.
                      </>
                    )}
                  </p>
                </>
              )}
            </div>
          ) : (
            <ul className="alert-list">
              {alerts.map((alert) => (
                <AlertRow
                  key={alert.id}
                  alert={alert}
                  members={members}
                  canTriage={canTriage}
                  checked={selected.has(alert.id)}
                  onCheck={(on) =>
                    setSelected((current) => {
                      const next = new Set(current);
                      if (on) next.add(alert.id);
                      else next.delete(alert.id);
                      return next;
                    })
                  }
                  onChanged={refresh}
                />
              ))}
            </ul>
          )}
        </LoadState>
      </section>
      {cursors.length > 0 || data?.nextCursor ? (
        <nav className="pager" aria-label="Pages">
          {cursors.length > 0 ? (
            <button type="button" className="button button-small" onClick={() => go({ cursor: cursors.slice(0, -1).join(".") || null })}>
              ← Previous
            </button>
          ) : (
            <span />
          )}
          {data?.nextCursor ? (
            <button type="button" className="button button-small" onClick={() => go({ cursor: [...cursors, data.nextCursor!].join(".") })}>
              Next →
            </button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  const id = useId();
  return (
    <span className="filter-select">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="compact-select" value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </span>
  );
}

function AlertRow({
  alert,
  members,
  canTriage,
  checked,
  onCheck,
  onChanged,
}: {
  alert: AlertListItem;
  members: Member[];
  canTriage: boolean;
  checked: boolean;
  onCheck: (checked: boolean) => void;
  onChanged: () => void;
}) {
  const f = alert.figures;
  return (
    <li className="alert-item" data-alert-id={alert.id} data-alert-state={alert.state}>
      {canTriage ? (
        <input type="checkbox" className="alert-check" aria-label={`Select ${alert.title}`} checked={checked} onChange={(e) => onCheck(e.target.checked)} />
      ) : null}
      <div className="alert-main">
        <div className="alert-title-row">
          <AlertStateBadge state={alert.state} />
          <Link href={`/alerts/${alert.id}`} className="alert-title strong wrap-anywhere">
            {alert.title}
          </Link>
        </div>
        <p className="alert-why">{alertWhy(f)}</p>
        <p className="alert-meta muted small">
          <span>{alert.rule.name}</span> · <span>{alert.website.name ?? alert.website.id}</span> · fired <Time value={alert.firedAt} relative /> · last{" "}
          <Time value={alert.lastTriggeredAt} relative />
          {alert.state === "snoozed" ? (
            <>
              {" "}
              · snoozed until <Time value={alert.snoozedUntil} />
            </>
          ) : null}
          {alert.state === "resolved" && alert.resolvedBy ? <> · resolved by {alert.resolvedBy}</> : null}
          {" · "}
          <span className="alert-assignee">{alert.assignee ? `assigned to ${alert.assignee.name}` : "unassigned"}</span>
        </p>
        {f.issues.length > 0 ? (
          <ul className="alert-issues">
            {f.issues.map((issue) => (
              <li key={issue.id}>
                <Link href={`/issues/${issue.id}?website=${encodeURIComponent(alert.website.id)}`} className="wrap-anywhere">
                  {issue.title}
                </Link>{" "}
                <span className="muted small">({issue.events})</span>
              </li>
            ))}
          </ul>
        ) : null}
        {canTriage ? <AlertActions alert={alert} members={members} onChanged={onChanged} label={alert.title} /> : null}
      </div>
      {f.series.length > 1 ? (
        <div className="alert-spark">
          <Sparkline values={f.series.map((p) => p.count)} color="var(--danger)" label={`Counts per window: ${f.series.map((p) => p.count).join(", ")}`} />
        </div>
      ) : null}
    </li>
  );
}

const BULK_ACTIONS: { value: string; label: string; body: (assignee: string) => AlertChangeBody }[] = [
  { value: "acknowledge", label: "Acknowledge", body: () => ({ action: "acknowledge" }) },
  ...SNOOZE_HOURS.map((hours) => ({
    value: `snooze-${hours}`,
    label: `Snooze for ${hours} ${hours === 1 ? "hour" : "hours"}`,
    body: (): AlertChangeBody => ({ action: "snooze", until: snoozeUntil(hours, Date.now()) }),
  })),
  { value: "resolve", label: "Resolve", body: () => ({ action: "resolve" }) },
  { value: "assign", label: "Assign", body: (assignee: string) => ({ assigneeId: assignee || null }) },
];

function BulkBar({
  ids,
  selected,
  setSelected,
  members,
  onChanged,
}: {
  ids: string[];
  selected: Set<string>;
  setSelected: (s: Set<string>) => void;
  members: Member[];
  onChanged: () => void;
}) {
  const id = useId();
  const [action, setAction] = useState("acknowledge");
  const [assignee, setAssignee] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const chosen = ids.filter((i) => selected.has(i));
  const { run, pending, error } = useAction(async () => {
    const body = BULK_ACTIONS.find((a) => a.value === action)!.body(assignee);
    const result = await apiFetch<{ changed: number }>("/api/alerts/bulk", { method: "POST", json: { ids: chosen, ...body } });
    setSelected(new Set());
    setDone(`${result.changed} of ${chosen.length} alerts changed.`);
    onChanged();
  });
  return (
    <form
      className="bulk-bar alert-bulk"
      aria-label="Bulk actions"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(null);
        void run();
      }}
    >
      <label className="bulk-all">
        <input type="checkbox" checked={chosen.length > 0 && chosen.length === ids.length} onChange={(e) => setSelected(new Set(e.target.checked ? ids : []))} />
        <span>{chosen.length > 0 ? `${chosen.length} selected` : "Select all"}</span>
      </label>
      <label htmlFor={`${id}-action`} className="sr-only">
        Action
      </label>
      <select id={`${id}-action`} className="compact-select" value={action} onChange={(e) => setAction(e.target.value)}>
        {BULK_ACTIONS.map((a) => (
          <option key={a.value} value={a.value}>
            {a.label}
          </option>
        ))}
      </select>
      {action === "assign" ? <AssigneeSelect id={`${id}-assignee`} label="Assign to" value={assignee} onChange={setAssignee} members={members} /> : null}
      <button type="submit" className="button button-small button-primary" disabled={pending || chosen.length === 0}>
        {pending ? "Applying…" : "Apply"}
      </button>
      {done ? (
        <span className="muted small" role="status">
          {done}
        </span>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </form>
  );
}
