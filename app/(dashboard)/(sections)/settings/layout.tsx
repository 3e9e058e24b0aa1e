import type { ReactNode } from "react";
import { NavLink } from "@/components/nav-link";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const admin = hasRole(user.role, "admin");
  return (
    <div className="settings">
      <h1>Settings</h1>
      <nav aria-label="Settings" className="subnav">
        {admin ? (
          <>
            <NavLink href="/settings/websites" className="subnav-link">
              Websites
            </NavLink>
            <NavLink href="/settings/members" className="subnav-link">
              Members
            </NavLink>
            <NavLink href="/settings/tokens" className="subnav-link">
              API tokens
            </NavLink>
            <NavLink href="/settings/data" className="subnav-link">
              Data
            </NavLink>
          </>
        ) : null}
        <NavLink href="/settings/alert-rules" className="subnav-link">
          Alert rules
        </NavLink>
        <NavLink href="/settings/channels" className="subnav-link">
          Channels
        </NavLink>
        <NavLink href="/settings/account" className="subnav-link">
          Account
        </NavLink>
      </nav>
      <div className="settings-body">{children}</div>
    </div>
  );
}
