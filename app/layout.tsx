import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "LiveSession Error Monitor",
  description: "Errors, failed requests and rage clicks from your LiveSession recordings.",
};

// Every page is rendered per request: its scripts carry that request's CSP nonce.
export const dynamic = "force-dynamic";

// The app shell (top bar, navigation) lives in app/(dashboard)/layout.tsx; the public pages
// (sign-in, setup, invitation) render a centered card instead.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
