import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "LiveSession Error Monitor",
  description: "Errors, failed requests and rage clicks from your LiveSession recordings.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <span className="brand">LiveSession Error Monitor</span>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
