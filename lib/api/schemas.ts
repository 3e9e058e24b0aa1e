import { z } from "zod";
import { assignableRole } from "../auth/roles";
import { MIN_PASSWORD_LENGTH } from "../auth/auth";

// Request bodies of the settings API.

const name = z.string().trim().min(1).max(200);
const email = z.email().max(320);
const password = z.string().min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`).max(256);

export const setupBody = z.object({ name, email, password });
export const acceptInvitationBody = z.object({ token: z.string().min(1).max(200), name, email, password });
export const createInvitationBody = z.object({ role: assignableRole, expiresInDays: z.number().int().min(1).max(30).default(7) });
export const changeRoleBody = z.object({ role: assignableRole });
export const createTokenBody = z.object({ name, role: assignableRole });

export const websiteId = z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, "Website ids are letters, digits, '-', '_' and '.'");
const websiteName = z.string().trim().max(200).transform((value) => value || null);
export const addWebsiteBody = z.object({ id: websiteId, name: websiteName.default(null) });
export const renameWebsiteBody = z.object({ name: websiteName });
