import { startTransition } from "react";

// A page re-reads itself with router.refresh(). When that request fails, Next.js falls back to
// a full navigation, which (server down) leaves an error page in place of the dashboard. So a
// live page asks first whether the server answers, and skips the re-read when it does not (the
// socket's reconnect then asks for one).

/** Whether the app's server answers right now (its health route, never cached). */
export async function serverAnswers(): Promise<boolean> {
  try {
    const response = await fetch("/api/health", { method: "HEAD", cache: "no-store" });
    return response.ok;
  } catch {
    return false;
  }
}

/** Re-reads the page (router.refresh) if the server answers; resolves whether it did. */
export async function refreshIfServerAnswers(router: { refresh(): void }): Promise<boolean> {
  const answers = await serverAnswers();
  if (answers) startTransition(() => router.refresh());
  return answers;
}
