"use client";

import { io, type Socket } from "socket.io-client";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

/**
 * A socket to this app (authenticated by the session cookie) that reconnects with socket.io's
 * back-off (1 s doubling to 15 s, randomised), and keeps `setStatus` in step with it and with the
 * browser's network state: reconnecting or offline when either drops (`onLost` runs then too), a
 * reconnect as soon as the network is back. The caller sets "live" once it has subscribed.
 * `close` removes every listener and disconnects.
 */
export function openLiveSocket(setStatus: (status: LiveStatus) => void, onLost: () => void = () => {}): { socket: Socket; close(): void } {
  const socket = io({ path: "/socket.io", reconnectionDelay: 1_000, reconnectionDelayMax: 15_000, randomizationFactor: 0.5, withCredentials: true });
  const lost = () => {
    onLost();
    setStatus(navigator.onLine ? "reconnecting" : "offline");
  };
  socket.on("disconnect", lost);
  socket.on("connect_error", lost);
  const offline = () => {
    onLost();
    setStatus("offline");
  };
  const online = () => {
    setStatus("reconnecting");
    if (!socket.connected) socket.connect();
  };
  window.addEventListener("offline", offline);
  window.addEventListener("online", online);
  return {
    socket,
    close() {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
