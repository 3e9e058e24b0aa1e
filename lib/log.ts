import pino from "pino";
import { env } from "./env";

const loggerKey = Symbol.for("lsm.logger");
type LoggerCache = { [loggerKey]?: pino.Logger };

/** One process-wide structured logger (JSON lines on stdout). */
export function logger(): pino.Logger {
  const cache = globalThis as LoggerCache;
  cache[loggerKey] ??= pino(
    {
      level: env().LOG_LEVEL,
      base: undefined,
      redact: { paths: ["*.secret", "*.password", "*.authorization", "*.cookie", "*.signature"], censor: "[redacted]" },
    },
    // Asynchronous writes keep one line per request off the ingest hot path; pino flushes
    // what is pending when the process exits.
    pino.destination({ sync: false }),
  );
  return cache[loggerKey];
}

