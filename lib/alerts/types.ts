// The shapes shared by the alert evaluator (lib/alerts), the notification queue (lib/notify),
// the alert and rule APIs and the inbox.
//
// The life of an alert (one row of `alerts` per incident of a rule):
// - fired: the rule's condition holds and no alert of the same (rule, dedup key) is open; a
//   "fired" notification goes to each of the rule's channels.
// - While open (firing, acknowledged or snoozed), the condition holding again updates its
//   figures (no new alert: deduplication). A firing alert sends an "updated" notification at
//   most once per cooldown, and only when its value grew.
// - acknowledged: a member saw it; it keeps updating but sends no "updated" notifications.
// - snoozed (until a time): no notifications until then; at that time it returns to firing
//   (with a "fired" notification) if the condition still holds, or resolves.
// - resolved: by the system when the condition clears (window conditions: the window's figures
//   are back under the threshold; issue conditions: the issue was resolved, ignored or merged),
//   or by a member; a "resolved" notification follows a system resolve of an alert that was
//   notified. Within the rule's cooldown after a resolve, the same incident does not fire
//   again: an alert the system resolved is reopened without a notification (flapping), one a
//   member resolved stays resolved until the cooldown has passed.
import { z } from "zod";
import { KNOWN_KINDS } from "../livesession/schema";

export const CONDITIONS = ["new_issue", "regression", "event_count", "visitor_count", "spike"] as const;
export type Condition = (typeof CONDITIONS)[number];
/** Conditions over a window of events; the others fire per issue. */
export const WINDOW_CONDITIONS = ["event_count", "visitor_count", "spike"] as const satisfies readonly Condition[];

export const ALERT_STATES = ["firing", "acknowledged", "snoozed", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const NOTIFICATION_REASONS = ["fired", "updated", "resolved", "test"] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

export const CHANNEL_TYPES = ["webhook", "slack", "email"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const MAX_WINDOW_MINUTES = 24 * 60;

/**
 * Which events a rule counts; every given part must match (an empty scope: every event of the
 * website). `urlPattern` matches an event's URL, with `*` for any run of characters;
 * `eventName` and `property` apply to custom events.
 */
export const ruleScope = z
  .object({
    kinds: z.array(z.enum(KNOWN_KINDS)).min(1).max(KNOWN_KINDS.length).optional(),
    issueId: z.string().regex(/^-?\d{1,20}$/, "an issue id").optional(),
    urlPattern: z.string().trim().min(1).max(500).optional(),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, "a two-letter country code")).min(1).max(250).optional(),
    eventName: z.string().trim().min(1).max(200).optional(),
    property: z
      .object({ key: z.string().trim().min(1).max(200), value: z.union([z.string().max(500), z.number(), z.boolean()]) })
      .optional(),
  })
  .strict();
export type RuleScope = z.infer<typeof ruleScope>;

const windowMinutes = z.number().int().min(1).max(MAX_WINDOW_MINUTES);

/** A rule as an admin writes it (the API's body; the evaluator reads rules in this shape). */
export const ruleInput = z
  .object({
    websiteId: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(200),
    condition: z.enum(CONDITIONS),
    threshold: z.number().int().min(1).max(1_000_000_000).nullish(),
    windowMinutes: windowMinutes.nullish(),
    spikeFactor: z.number().min(1.1).max(1000).nullish(),
    baselineWindows: z.number().int().min(1).max(168).nullish(),
    scope: ruleScope.default({}),
    cooldownMinutes: z.number().int().min(0).max(7 * 24 * 60).default(30),
    enabled: z.boolean().default(true),
    channelIds: z.array(z.string().min(1)).max(20).default([]),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const need = (key: "threshold" | "windowMinutes" | "spikeFactor" | "baselineWindows", what: string) => {
      if (rule[key] == null) ctx.addIssue({ code: "custom", path: [key], message: `${what} is required for this condition` });
    };
    if (rule.condition === "event_count" || rule.condition === "visitor_count") {
      need("threshold", "A threshold");
      need("windowMinutes", "A window");
    }
    if (rule.condition === "spike") {
      need("threshold", "A minimum count");
      need("windowMinutes", "A window");
      need("spikeFactor", "A factor");
      need("baselineWindows", "A baseline");
    }
  });
export type RuleInput = z.infer<typeof ruleInput>;

/** Sensible starting values the rule form offers. */
export const RULE_DEFAULTS = { windowMinutes: 5, spikeFactor: 3, baselineWindows: 12, cooldownMinutes: 30 } as const;

/** What crossed the threshold, kept on the alert at each evaluation and shown in the inbox. */
export type AlertFigures = {
  condition: Condition;
  /** The count that was compared: events or visitors in the window, or the issue's events. */
  value: number;
  /** What it had to exceed: the threshold, or for a spike max(baseline × factor, minimum). */
  threshold: number;
  windowMinutes: number | null;
  /** spike: the mean of the baseline windows, and the factor */
  baseline: number | null;
  factor: number | null;
  /** Counts per window-sized (issue rules: per-hour) bucket ending at the evaluation, oldest first. */
  series: { at: string; count: number }[];
  /** The issues with the most events in the window (issue rules: the one issue). */
  issues: { id: string; title: string; kind: string; events: number }[];
  evaluatedAt: string;
};

/** A notification, before a channel formats it (one per alert change, the same for every channel). */
export type NotificationPayload = {
  reason: NotificationReason;
  alert: {
    id: string;
    title: string;
    state: AlertState;
    ruleId: string;
    ruleName: string;
    websiteId: string;
    websiteName: string | null;
    firedAt: string;
    figures: AlertFigures;
  } | null;
  /** The dashboard page of the alert (or of the channel, for a test). */
  url: string;
  /** One readable sentence: what happened and why. */
  summary: string;
  sentAt: string;
};
