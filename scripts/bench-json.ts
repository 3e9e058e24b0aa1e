// Shared by the bench scripts: the machine's load while a bench runs, and the --json FILE
// output that scripts/bench-charts.ts draws.
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

export type MachineLoad = {
  cores: number;
  /** Load averages over 1, 5 and 15 minutes. */
  loadAverageStart: number[];
  loadAverageEnd: number[];
  /** The highest 1-minute load average seen, sampled every 5 s. */
  loadAverageMax1m: number;
};

/** Watches the load average from now until the returned function is called. */
export function watchLoad(): () => MachineLoad {
  const start = loadavg();
  let max = start[0]!;
  const timer = setInterval(() => (max = Math.max(max, loadavg()[0]!)), 5000);
  timer.unref();
  return () => {
    clearInterval(timer);
    const end = loadavg();
    return { cores: cpus().length, loadAverageStart: start, loadAverageEnd: end, loadAverageMax1m: Math.max(max, end[0]!) };
  };
}

export function describeLoad(machine: MachineLoad): string {
  const averages = (values: number[]) => values.map((x) => x.toFixed(1)).join(" ");
  return `load average ${averages(machine.loadAverageStart)} at the start, ${averages(machine.loadAverageEnd)} at the end (1, 5, 15 min), 1-min peak ${machine.loadAverageMax1m.toFixed(1)}; ${machine.cores} cores`;
}

/** Writes the figures to `file` when --json gave one. */
export function writeJson(file: string | undefined, figures: object): void {
  if (!file) return;
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`json        ${file}`);
}
