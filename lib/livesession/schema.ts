import { z } from "zod";

// Schemas for LiveSession's `session.event` webhook. They are the single source of the
// TypeScript types; unknown keys are kept (loose objects) because LiveSession may add fields.

const id = z.string().trim().min(1).max(255);
const text = z.string().max(65_536);
const int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
const count = z.number().int().min(0).max(2_147_483_647);

export const visitorParamSchema = z.looseObject({ name: z.string().max(1_000), value: z.unknown() });

export const geolocationSchema = z.looseObject({
  country_code: z.string().max(16).nullish(),
  city: z.string().max(1_000).nullish(),
  region: z.string().max(1_000).nullish(),
});

export const visitorSchema = z.looseObject({
  id,
  name: z.string().max(1_000).nullish(),
  email: z.string().max(1_000).nullish(),
  params: z.array(visitorParamSchema).max(1_000).nullish(),
  geolocation: geolocationSchema.nullish(),
});

export const payloadBaseSchema = z.looseObject({
  event_name: z.string().trim().min(1).max(100),
  time: z.number().finite().nullish(),
  visitor: visitorSchema,
});

export const deliverySchema = z.looseObject({
  message_id: id,
  webhook_id: z.string().max(255).nullish(),
  webhook_type: z.string().max(255).nullish(),
  api_version: z.string().max(64).nullish(),
  account_id: z.string().max(255).nullish(),
  website_id: id,
  created_at: z.number().finite().nullish(),
  payload: payloadBaseSchema,
});

export const jsErrorFieldsSchema = z.looseObject({ value: text.nullish(), count: count.nullish() });

export const netErrorFieldsSchema = z.looseObject({
  method: z.string().max(32).nullish(),
  url: text.nullish(),
  status: int32.nullish(),
});

/** LiveSession's docs spell the key `messsage`; the API schema says `message`. Both are accepted. */
export const errorClickFieldsSchema = z.looseObject({ message: text.nullish(), messsage: text.nullish() });

export const rageClickFieldsSchema = z.looseObject({ clicks: count.nullish() });

// Not z.record: it drops a `__proto__` key, and every property must be kept as sent.
const propertiesSchema = z.custom<Record<string, unknown>>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).every((key) => key.length <= 1_000),
  { message: "Expected an object of properties with keys up to 1000 characters" },
);

export const customFieldsSchema = z.looseObject({
  name: z.string().max(1_000).nullish(),
  properties: propertiesSchema.nullish(),
});

export const KNOWN_KINDS = ["JSError", "NetError", "ErrorClick", "RageClick", "Custom"] as const;
export type KnownKind = (typeof KNOWN_KINDS)[number];

export type Delivery = z.infer<typeof deliverySchema>;
export type Visitor = z.infer<typeof visitorSchema>;
export type JSErrorFields = z.infer<typeof jsErrorFieldsSchema>;
export type NetErrorFields = z.infer<typeof netErrorFieldsSchema>;
export type ErrorClickFields = z.infer<typeof errorClickFieldsSchema>;
export type RageClickFields = z.infer<typeof rageClickFieldsSchema>;
export type CustomFields = z.infer<typeof customFieldsSchema>;
