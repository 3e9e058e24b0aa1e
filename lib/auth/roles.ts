import { z } from "zod";

export const ROLES = ["viewer", "member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Roles that can be given to a member, an invitation or an API token (there is one owner). */
export const ASSIGNABLE_ROLES = ["viewer", "member", "admin"] as const;
export const assignableRole = z.enum(ASSIGNABLE_ROLES);

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** viewer < member (triages) < admin (manages websites, members, rules) < owner. */
export function hasRole(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
