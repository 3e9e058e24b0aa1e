// Which stored events a rule counts (lib/alerts/types.ts ruleScope), decided in memory for each
// committed event: every part of the scope that is given must match.
import type { EventRecord } from "../ingest/store";
import type { RuleScope } from "./types";

/** What a scope looks at in an event. */
export type ScopedEvent = {
  kind: string;
  /** The issue the event was counted on (a merge's target). */
  issueId: string;
  url: string | null;
  countryCode: string | null;
  /** A custom event's name. */
  name: string | null;
  /** A custom event's properties, keyed by their typed names (`plan_str`, `items_int`). */
  properties: Record<string, unknown> | null;
};

export function scopedEvent(record: EventRecord): ScopedEvent {
  const fields = record.fields as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  const properties = fields.properties;
  return {
    kind: record.fields.kind,
    issueId: record.issueId,
    url: text(fields.url),
    countryCode: record.visitor.countryCode,
    name: text(fields.name),
    properties: properties !== null && typeof properties === "object" && !Array.isArray(properties) ? (properties as Record<string, unknown>) : null,
  };
}

/** A URL pattern as a regular expression over the whole URL: `*` is any run of characters, everything else is literal. */
export function urlPatternRegex(pattern: string): RegExp {
  const literal = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${literal.join(".*")}$`, "s");
}

/** A scope compiled once per rule load: the URL pattern becomes a RegExp. */
export type CompiledScope = RuleScope & { urlRegex: RegExp | null };

export function compileScope(scope: RuleScope): CompiledScope {
  return { ...scope, urlRegex: scope.urlPattern === undefined ? null : urlPatternRegex(scope.urlPattern) };
}

export function matchesScope(scope: CompiledScope, event: ScopedEvent): boolean {
  if (scope.kinds && !(scope.kinds as readonly string[]).includes(event.kind)) return false;
  if (scope.issueId !== undefined && BigInt(scope.issueId) !== BigInt(event.issueId)) return false;
  if (scope.urlRegex && (event.url === null || !scope.urlRegex.test(event.url))) return false;
  if (scope.countries && (event.countryCode === null || !scope.countries.includes(event.countryCode.toUpperCase()))) return false;
  if (scope.eventName !== undefined && event.name !== scope.eventName) return false;
  // Same rule as the dashboard's property filter: 3 matches 3 and 3.0, never "3".
  if (scope.property !== undefined && event.properties?.[scope.property.key] !== scope.property.value) return false;
  return true;
}
