"use client";

import Link from "next/link";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import type { RuleView } from "@/lib/alerts/rules";
import { CONDITIONS, RULE_DEFAULTS, type Condition } from "@/lib/alerts/types";
import { KNOWN_KINDS } from "@/lib/livesession/schema";
import { ApiRequestError, apiFetch, errorMessage } from "../api-client";
import { Alert } from "../forms";
import { CONDITION_HELP, CONDITION_LABELS } from "./describe";

export type ChannelOption = { id: string; name: string; type: string };

type Draft = {
  name: string;
  condition: Condition;
  threshold: string;
  windowMinutes: string;
  spikeFactor: string;
  baselineWindows: string;
  kinds: string[];
  urlPattern: string;
  countries: string;
  issueId: string;
  eventName: string;
  propertyKey: string;
  propertyValue: string;
  channelIds: string[];
  cooldownMinutes: string;
  enabled: boolean;
};

const text = (value: number | null | undefined) => (value == null ? "" : String(value));

function draftOf(rule: RuleView | null): Draft {
  const s = rule?.scope ?? {};
  return {
    name: rule?.name ?? "",
    condition: rule?.condition ?? "event_count",
    threshold: text(rule?.threshold),
    windowMinutes: text(rule?.windowMinutes ?? RULE_DEFAULTS.windowMinutes),
    spikeFactor: text(rule?.spikeFactor ?? RULE_DEFAULTS.spikeFactor),
    baselineWindows: text(rule?.baselineWindows ?? RULE_DEFAULTS.baselineWindows),
    kinds: s.kinds ?? [],
    urlPattern: s.urlPattern ?? "",
    countries: s.countries?.join(", ") ?? "",
    issueId: s.issueId ?? "",
    eventName: s.eventName ?? "",
    propertyKey: s.property?.key ?? "",
    propertyValue: s.property === undefined ? "" : String(s.property.value),
    channelIds: rule?.channelIds ?? [],
    cooldownMinutes: text(rule?.cooldownMinutes ?? RULE_DEFAULTS.cooldownMinutes),
    enabled: rule?.enabled ?? true,
  };
}

/** A number field as the API wants it: empty is absent, anything else a number (invalid ones the API reports). */
const num = (value: string) => (value.trim() === "" ? null : Number(value));

/** A property's value typed by its key's suffix (`_int`, `_float`, `_bool`; text otherwise). */
function propertyValue(key: string, value: string): string | number | boolean {
  if (/_(int|float)$/.test(key) && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  if (/_bool$/.test(key) && (value === "true" || value === "false")) return value === "true";
  return value;
}

const WINDOWED: Condition[] = ["event_count", "visitor_count", "spike"];

function bodyOf(d: Draft, websiteId: string) {
  const windowed = WINDOWED.includes(d.condition);
  const spike = d.condition === "spike";
  const countries = d.countries
    .split(",")
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const scope = {
    ...(d.kinds.length ? { kinds: d.kinds } : {}),
    ...(d.urlPattern.trim() ? { urlPattern: d.urlPattern.trim() } : {}),
    ...(countries.length ? { countries } : {}),
    ...(d.issueId.trim() ? { issueId: d.issueId.trim() } : {}),
    ...(d.eventName.trim() ? { eventName: d.eventName.trim() } : {}),
    ...(d.propertyKey.trim() ? { property: { key: d.propertyKey.trim(), value: propertyValue(d.propertyKey.trim(), d.propertyValue) } } : {}),
  };
  return {
    websiteId,
    name: d.name,
    condition: d.condition,
    threshold: windowed ? num(d.threshold) : null,
    windowMinutes: windowed ? num(d.windowMinutes) : null,
    spikeFactor: spike ? num(d.spikeFactor) : null,
    baselineWindows: spike ? num(d.baselineWindows) : null,
    scope,
    channelIds: d.channelIds,
    cooldownMinutes: num(d.cooldownMinutes) ?? RULE_DEFAULTS.cooldownMinutes,
    enabled: d.enabled,
  };
}

/** The API's field errors by form field: "scope.countries.0" is the countries field's. */
function fieldErrors(details: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Array.isArray(details)) return errors;
  for (const item of details as { path?: unknown; message?: unknown }[]) {
    if (typeof item.path !== "string" || typeof item.message !== "string") continue;
    const parts = item.path.split(".");
    const key = parts[0] === "scope" && parts[1] ? (parts[1] === "property" ? "propertyKey" : parts[1]) : parts[0] || "form";
    errors[key] ??= item.message;
  }
  return errors;
}

/** Create or edit a rule; errors are shown next to their fields. */
export function RuleForm({
  rule,
  websiteId,
  channels,
  onSaved,
  onCancel,
}: {
  rule: RuleView | null;
  websiteId: string;
  channels: ChannelOption[];
  onSaved: (rule: RuleView) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((current) => ({ ...current, [key]: value }));
  const toggle = (key: "kinds" | "channelIds", value: string, on: boolean) =>
    setD((current) => ({ ...current, [key]: on ? [...current[key], value] : current[key].filter((v) => v !== value) }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setErrors({});
    setFailure(null);
    try {
      const body = bodyOf(d, websiteId);
      const result = rule
        ? await apiFetch<{ rule: RuleView }>(`/api/alert-rules/${encodeURIComponent(rule.id)}`, { method: "PATCH", json: body })
        : await apiFetch<{ rule: RuleView }>("/api/alert-rules", { method: "POST", json: body });
      onSaved(result.rule);
      if (!rule) setD(draftOf(null));
    } catch (caught) {
      const byField = caught instanceof ApiRequestError ? fieldErrors(caught.details) : {};
      setErrors(byField);
      setFailure(Object.keys(byField).length > 0 ? "Some fields need a change (marked below)." : errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  const field = (key: keyof Draft & string, label: string, input: Record<string, unknown> = {}, hint?: ReactNode) => {
    const fieldId = `${id}-${key}`;
    const error = errors[key];
    return (
      <div className={`field ${input.wide ? "field-wide" : ""}`}>
        <label htmlFor={fieldId}>{label}</label>
        <input
          id={fieldId}
          name={key}
          value={d[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hint ? `${fieldId}-hint` : "", error ? `${fieldId}-error` : ""].filter(Boolean).join(" ") || undefined}
          {...Object.fromEntries(Object.entries(input).filter(([k]) => k !== "wide"))}
        />
        {hint ? (
          <p id={`${fieldId}-hint`} className="hint">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${fieldId}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  };
  const windowed = WINDOWED.includes(d.condition);
  const numeric = { type: "number", inputMode: "numeric" };

  return (
    <form className="form rule-form" onSubmit={submit} aria-label={rule ? `Edit rule ${rule.name}` : "New alert rule"} aria-busy={pending} noValidate>
      <fieldset>
        <legend>Rule</legend>
        {field("name", "Name", { maxLength: 200, autoComplete: "off", placeholder: "e.g. Checkout errors" })}
        <div className="field">
          <label htmlFor={`${id}-condition`}>Condition</label>
          <select id={`${id}-condition`} value={d.condition} onChange={(e) => set("condition", e.target.value as Condition)} aria-describedby={`${id}-condition-hint`}>
            {CONDITIONS.map((c) => (
              <option key={c} value={c}>
                {CONDITION_LABELS[c]}
              </option>
            ))}
          </select>
          <p id={`${id}-condition-hint`} className="hint">
            {CONDITION_HELP[d.condition]}
          </p>
          {errors.condition ? <p className="field-error">{errors.condition}</p> : null}
        </div>
        {windowed ? (
          <>
            {field("threshold", d.condition === "spike" ? "Minimum count" : "Threshold", { ...numeric, min: 1 }, d.condition === "spike" ? "The window must reach at least this many." : "Fires above this many.")}
            {field("windowMinutes", "Window (minutes)", { ...numeric, min: 1, max: 1440 })}
          </>
        ) : null}
        {d.condition === "spike" ? (
          <>
            {field("spikeFactor", "Spike factor", { type: "number", inputMode: "decimal", min: 1.1, step: 0.1 }, "Times the baseline.")}
            {field("baselineWindows", "Baseline windows", { ...numeric, min: 1, max: 168 }, "Windows before this one whose mean is the baseline.")}
          </>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Scope</legend>
        <fieldset className="checks" aria-describedby={errors.kinds ? `${id}-kinds-error` : undefined}>
          <legend>Kinds (none checked: every kind)</legend>
          {KNOWN_KINDS.map((kind) => (
            <label key={kind} className="check">
              <input type="checkbox" checked={d.kinds.includes(kind)} onChange={(e) => toggle("kinds", kind, e.target.checked)} />
              {kind}
            </label>
          ))}
          {errors.kinds ? (
            <p id={`${id}-kinds-error`} className="field-error">
              {errors.kinds}
            </p>
          ) : null}
        </fieldset>
        {field("urlPattern", "URL pattern", { maxLength: 500, placeholder: "*/checkout*" }, "* matches anything.")}
        {field("countries", "Countries", { maxLength: 1000, placeholder: "PL, DE" }, "Two-letter codes, comma-separated.")}
        {field("issueId", "Issue id", { inputMode: "numeric", maxLength: 21 })}
        {field("eventName", "Custom event name", { maxLength: 200 })}
        {field("propertyKey", "Property key", { maxLength: 200, placeholder: "plan_str" }, "Custom events with this property…")}
        {field("propertyValue", "Property value", { maxLength: 500, placeholder: "pro" }, "…equal to this (typed by the key's suffix).")}
      </fieldset>
      <fieldset>
        <legend>Notify</legend>
        <fieldset className="checks">
          <legend>Channels</legend>
          {channels.length === 0 ? (
            <p className="hint">
              No notification channels yet: <Link href="/settings/channels">add one in Settings → Channels</Link>. Alerts still show in the inbox.
            </p>
          ) : (
            channels.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={d.channelIds.includes(c.id)} onChange={(e) => toggle("channelIds", c.id, e.target.checked)} />
                {c.name} <span className="muted">({c.type})</span>
              </label>
            ))
          )}
          {errors.channelIds ? <p className="field-error">{errors.channelIds}</p> : null}
        </fieldset>
        {field("cooldownMinutes", "Cooldown (minutes)", { ...numeric, min: 0, max: 10080 }, "No new alert for the same incident this soon after one resolves; “updated” notifications at most this often.")}
        <label className="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          Enabled
        </label>
      </fieldset>
      {failure ? <Alert>{failure}</Alert> : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Saving…" : rule ? "Save rule" : "Create rule"}
        </button>
        {onCancel ? (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
