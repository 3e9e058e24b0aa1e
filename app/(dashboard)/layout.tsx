import Link from "next/link";
import type { ReactNode } from "react";
import "@/components/alerts/alerts.css";
import { NavLink } from "@/components/nav-link";
import { SignOutButton } from "@/components/sign-out-button";
import { requireUser } from "@/lib/auth/current-user";
import { countFiringAlerts } from "@/lib/queries/get-alerts";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [user, firing] = await Promise.all([requireUser(), countFiringAlerts()]);
  return (
    <>
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          LiveSession Error Monitor
        </Link>
        <nav aria-label="Main" className="nav">
          <NavLink href="/" exact>
            Overview
          </NavLink>
          <NavLink href="/issues">Issues</NavLink>
          <NavLink href="/visitors">Visitors</NavLink>
          <NavLink href="/urls">URLs</NavLink>
          <NavLink href="/custom-events">Custom events</NavLink>
          <NavLink href="/alerts">
            Alerts
            {firing > 0 ? (
              <span className="alert-nav-count" data-firing={firing} title={`${firing} firing`}>
                {firing}
                <span className="sr-only"> firing</span>
              </span>
            ) : null}
          </NavLink>
          <NavLink href="/settings">Settings</NavLink>
        </nav>
        <div className="topbar-user">
          <span className="user-name" title={user.email}>
            {user.name}
          </span>
          <span className={`role role-${user.role}`}>{user.role}</span>
          <SignOutButton />
        </div>
      </header>
      <main id="content">{children}</main>
    </>
  );
}
