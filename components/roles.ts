// Client-safe role texts (lib/auth/roles.ts has the role logic; it pulls in zod).

export const ROLE_DESCRIPTIONS: Record<string, string> = {
  viewer: "sees events and issues",
  member: "sees events and triages issues",
  admin: "triages issues and manages websites, members and API tokens",
  owner: "does everything an admin does; the account that set up this install",
};

export function describeRole(role: string): string {
  return ROLE_DESCRIPTIONS[role] ?? "";
}
