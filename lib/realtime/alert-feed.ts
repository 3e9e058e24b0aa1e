// The live inbox: each change to an alert (fired, updated, triaged, resolved) is announced to
// every socket in the alerts room, on every instance (io.to() goes through the adapter).
// Every role may read every alert, as every website; the message carries ids, not content:
// the inbox re-reads what it shows through the API.
import type { Server } from "socket.io";
import type { AlertState } from "../alerts/types";
import { logger } from "../log";

export const ALERTS_ROOM = "alerts";
export const ALERT_CHANGED = "alert";

export type AlertChange = { alertId: string; websiteId: string; state: AlertState };

const ioKey = Symbol.for("lsm.realtime.alertFeed");
type FeedCache = { [ioKey]?: Server };

export function setAlertFeed(io: Server | undefined): void {
  (globalThis as FeedCache)[ioKey] = io;
}

/** Announces changed alerts (after their transaction committed). Never throws. */
export function publishAlertChanges(changes: AlertChange[]): void {
  const io = (globalThis as FeedCache)[ioKey];
  if (!io || changes.length === 0) return;
  try {
    io.to(ALERTS_ROOM).emit(ALERT_CHANGED, changes);
  } catch (error) {
    logger().warn({ err: error }, "alert feed publish failed");
  }
}
