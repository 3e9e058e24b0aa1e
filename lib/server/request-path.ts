/** Set by server.ts on every page request: the path and query asked for (for sign-in's `next`). */
export const REQUEST_PATH_HEADER = "x-lsm-request-path";
