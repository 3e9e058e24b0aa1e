import Link from "next/link";
import type { ReactNode } from "react";
import { NavLink } from "@/components/nav-link";
import { SignOutButton } from "@/components/sign-out-button";
import { requireUser } from "@/lib/auth/current-user";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
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
