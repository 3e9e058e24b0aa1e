// A change to the rules made by this process reaches its evaluator at once (the rule API calls
// rulesChanged); other instances reload their rules within the evaluator's cache lifetime.
const versionKey = Symbol.for("lsm.alerts.rulesVersion");
type VersionCache = { [versionKey]?: number };

export function rulesChanged(): void {
  const cache = globalThis as VersionCache;
  cache[versionKey] = (cache[versionKey] ?? 0) + 1;
}

export function rulesVersion(): number {
  return (globalThis as VersionCache)[versionKey] ?? 0;
}
