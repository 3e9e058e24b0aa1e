"use client";

import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import type { AlertChange } from "@/lib/realtime/alert-feed";
import type { LiveStatus } from "../live/use-live-events";

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
    const socket = io({ path: "/socket.io", reconnectionDelay: 1_000, reconnectionDelayMax: 15_000, randomizationFactor: 0.5, withCredentials: true });
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
    const lost = () => setStatus(navigator.onLine ? "reconnecting" : "offline");
    socket.on("disconnect", lost);
    socket.on("connect_error", lost);
    const offline = () => setStatus("offline");
    const online = () => {
      setStatus("reconnecting");
      if (!socket.connected) socket.connect();
    };
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      if (timer !== null) clearTimeout(timer);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  return status;
}
