"use client";

import { useEffect, useRef, useState } from "react";
import type { AlertChange } from "@/lib/realtime/alert-feed";
import { openLiveSocket, type LiveStatus } from "../live/live-socket";

/** Changes reach the page at most this often; those in between make one re-read. */
export const ALERT_REFRESH_MS = 1_000;

/**
 * The live alert feed: joins the alerts room on every (re)connection (the socket is
 * authenticated by the session cookie) and calls `onChange` when alerts change, at most once
 * per ALERT_REFRESH_MS (the first at once, the rest coalesced). Once subscribed (the first time
 * and after each reconnect) it calls `onChange` too: a change made before the room was joined
 * may be missing from what the page read. Returns the connection's state.
 */
export function useAlertFeed(onChange: () => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handler = useRef(onChange);
  handler.current = onChange;

  useEffect(() => {
    const { socket, close } = openLiveSocket(setStatus);
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      timer = null;
      last = Date.now();
      handler.current();
    };
    const request = () => {
      if (timer === null) timer = setTimeout(fire, Math.max(0, last + ALERT_REFRESH_MS - Date.now()));
    };

    socket.on("connect", () => {
      socket
        .timeout(10_000)
        .emitWithAck("alerts:subscribe", {})
        .then((reply: { ok: boolean }) => {
          if (!reply.ok) return setStatus("offline");
          setStatus("live");
          request();
        })
        .catch(() => socket.disconnect().connect());
    });
    socket.on("alert", (_changes: AlertChange[]) => request());
    return () => {
      if (timer !== null) clearTimeout(timer);
      close();
    };
  }, []);

  return status;
}
