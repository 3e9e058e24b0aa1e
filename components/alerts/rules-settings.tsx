"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState } from "react";
import type { RuleView } from "@/lib/alerts/rules";
import { apiFetch } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { InlineError, useAction } from "../forms";
import { Empty, LoadState } from "../settings/load-state";
import { Section } from "../settings/section";
import { useApiData } from "../use-api-data";
import { CONDITION_LABELS, windowLabel } from "./describe";
import { RuleForm, type ChannelOption } from "./rule-form";

type Option = { id: string; name: string };

/** The rule's condition in a few words: "Event count above 50 in 5 min". */
function conditionText(r: RuleView): string {
  switch (r.condition) {
    case "event_count":
    case "visitor_count":
      return `${CONDITION_LABELS[r.condition]} above ${r.threshold} in ${windowLabel(r.windowMinutes ?? 0)}`;
    case "spike":
      return `Spike: over ${r.spikeFactor}× the mean of ${r.baselineWindows} windows of ${windowLabel(r.windowMinutes ?? 0)} (at least ${r.threshold})`;
    default:
      return CONDITION_LABELS[r.condition];
  }
}

function scopeText(r: RuleView): string {
  const s = r.scope;
  const parts = [
    s.kinds ? s.kinds.join(", ") : "every kind",
    s.urlPattern ? `URL ${s.urlPattern}` : null,
    s.countries ? `from ${s.countries.join(", ")}` : null,
    s.issueId ? `issue ${s.issueId}` : null,
    s.eventName ? `event “${s.eventName}”` : null,
    s.property ? `${s.property.key} = ${String(s.property.value)}` : null,
  ];
  return parts.filter(Boolean).join(" · ");
}

/** Settings → Alert rules: a website's rules; admins create, edit, enable/disable and delete them. */
export function RulesSettings({ websites, channels, canEdit }: { websites: Option[]; channels: ChannelOption[]; canEdit: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const selectId = useId();
  const asked = search.get("website");
  const websiteId = websites.some((w) => w.id === asked) ? asked! : (websites[0]?.id ?? "");
  const { data, setData, error, loading, reload } = useApiData<{ rules: RuleView[] }>(`/api/alert-rules?websiteId=${encodeURIComponent(websiteId)}`);
  const [editing, setEditing] = useState<string | null>(null);
  const rules = data?.rules ?? [];
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  const replace = (rule: RuleView) => setData((current) => current && { rules: current.rules.map((r) => (r.id === rule.id ? rule : r)) });

  if (websites.length === 0) {
    return (
      <Section title="Alert rules">
        <div className="panel">
          <Empty>
            <p>No websites yet. Alert rules watch a website’s events: add one in Settings → Websites first.</p>
          </Empty>
        </div>
      </Section>
    );
  }

  return (
    <>
      <Section
        title="Alert rules"
        description="A rule watches one website’s events and fires an alert (in the inbox, and to its channels) when its condition holds."
        actions={
          <span className="filter-select">
            <label htmlFor={selectId} className="strong small">
              Website
            </label>{" "}
            <select
              id={selectId}
              className="compact-select"
              value={websiteId}
              onChange={(e) => {
                setEditing(null);
                router.replace(`${pathname}?website=${encodeURIComponent(e.target.value)}`, { scroll: false });
              }}
            >
              {websites.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </span>
        }
      >
        <div className="panel">
          <LoadState loading={loading && !data} error={error} reload={reload} what="alert rules">
            {rules.length === 0 ? (
              <Empty>
                <p className="strong">No alert rules for this website.</p>
                <p>
                  Rules tell you when errors pile up (a count in a window), spike against their usual level, or when a new issue appears or a resolved one
                  comes back. {canEdit ? "Create one below." : "An admin can create them."} Alerts show in the <Link href="/alerts">inbox</Link>.
                </p>
              </Empty>
            ) : (
              <ul className="rule-list">
                {rules.map((rule) =>
                  editing === rule.id ? (
                    <li key={rule.id} className="rule-item">
                      <RuleForm
                        rule={rule}
                        websiteId={websiteId}
                        channels={channels}
                        onSaved={(saved) => {
                          replace(saved);
                          setEditing(null);
                        }}
                        onCancel={() => setEditing(null)}
                      />
                    </li>
                  ) : (
                    <RuleItem
                      key={rule.id}
                      rule={rule}
                      canEdit={canEdit}
                      channels={rule.channelIds.map((id) => channelName.get(id) ?? id)}
                      onEdit={() => setEditing(rule.id)}
                      onChanged={replace}
                      onDeleted={() => setData((current) => current && { rules: current.rules.filter((r) => r.id !== rule.id) })}
                    />
                  ),
                )}
              </ul>
            )}
          </LoadState>
        </div>
      </Section>
      {canEdit ? (
        <Section title="New rule">
          <div className="card">
            <RuleForm
              key={websiteId}
              rule={null}
              websiteId={websiteId}
              channels={channels}
              onSaved={(saved) => setData((current) => ({ rules: [...(current?.rules ?? []), saved].sort((a, b) => a.name.localeCompare(b.name)) }))}
            />
          </div>
        </Section>
      ) : null}
    </>
  );
}

function RuleItem({
  rule,
  canEdit,
  channels,
  onEdit,
  onChanged,
  onDeleted,
}: {
  rule: RuleView;
  canEdit: boolean;
  channels: string[];
  onEdit: () => void;
  onChanged: (rule: RuleView) => void;
  onDeleted: () => void;
}) {
  const { run, pending, error } = useAction(async (enabled: boolean) => {
    const result = await apiFetch<{ rule: RuleView }>(`/api/alert-rules/${encodeURIComponent(rule.id)}`, { method: "PATCH", json: { enabled } });
    onChanged(result.rule);
  });
  return (
    <li className="rule-item" data-rule-id={rule.id}>
      <div className="rule-item-main">
        <span>
          <strong className="wrap-anywhere">{rule.name}</strong>{" "}
          <span className={`badge ${rule.enabled ? "badge-ok" : ""}`}>{rule.enabled ? "Enabled" : "Disabled"}</span>
        </span>
        <span>{conditionText(rule)}</span>
        <span className="muted small wrap-anywhere">
          {scopeText(rule)} · cooldown {rule.cooldownMinutes} min · {channels.length ? `notifies ${channels.join(", ")}` : "inbox only"}
        </span>
        <Link href={`/alerts?rule=${encodeURIComponent(rule.id)}&state=all`} className="small">
          Its alerts
        </Link>
      </div>
      {canEdit ? (
        <div className="rule-item-actions">
          <button type="button" className="button button-small button-secondary" disabled={pending} onClick={() => void run(!rule.enabled)} aria-label={`${rule.enabled ? "Disable" : "Enable"} ${rule.name}`}>
            {pending ? "Saving…" : rule.enabled ? "Disable" : "Enable"}
          </button>
          <button type="button" className="button button-small button-secondary" onClick={onEdit}>
            Edit
          </button>
          <ConfirmButton
            label="Delete"
            question={`Delete “${rule.name}” and its alerts?`}
            confirmLabel="Yes, delete"
            pendingLabel="Deleting…"
            onConfirm={async () => {
              await apiFetch(`/api/alert-rules/${encodeURIComponent(rule.id)}`, { method: "DELETE" });
              onDeleted();
            }}
          />
          <InlineError message={error} />
        </div>
      ) : null}
    </li>
  );
}
