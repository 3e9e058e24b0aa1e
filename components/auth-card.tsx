import type { ReactNode } from "react";

/** The centered card of the public pages (sign-in, setup, invitation): no navigation. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-main">
      <div className="auth-card">
        <p className="auth-brand">LiveSession Error Monitor</p>
        <h1>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
        {children}
      </div>
    </main>
  );
}
