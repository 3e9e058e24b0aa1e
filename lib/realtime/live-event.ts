// The compact event the live socket sends to browsers (a plain module: client code imports it).

/** What a browser needs to update counters, trends and feeds; nothing else leaves the server. */
export type LiveEvent = {
  messageId: string;
  websiteId: string;
  kind: string;
  /** ISO time the visitor's browser saw it. */
  occurredAt: string;
  visitorId: string;
  visitorName: string | null;
  visitorEmail: string | null;
  /** 64-bit id in decimal. */
  issueId: string;
  issueTitle: string;
  countryCode: string | null;
  city: string | null;
  urlTemplate: string | null;
  url: string | null;
  method: string | null;
  status: number | null;
  name: string | null;
  message: string | null;
};

/** The socket's server → client messages. */
export type LiveServerEvents = {
  /** Matching events, oldest first; acknowledge to receive more (that is the backpressure). */
  events: (events: LiveEvent[], ack: () => void) => void;
  /** The server dropped events for this socket (it fell behind): re-fetch the page's data. */
  resync: (info: { reason: string }) => void;
};

/** Long strings are cut for the live feed; the pages read the full text from the database. */
export const LIVE_TEXT_LIMIT = 500;
