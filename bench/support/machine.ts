import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: number;
  os: string;
  node: string;
  database: string;
}

function cpuModel(): string {
  const model = cpus()[0]?.model?.trim();
  if (model) return model;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function describeMachine(database: string): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    os: `${process.platform} ${process.arch}`,
    node: process.version,
    database,
  };
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
export const CLOCK_TICKS = 100;

/** The machine's CPU counters so far (from /proc/stat, in ticks); null where there is no /proc. */
function cpuTicks(): { steal: number; idle: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: steal is time the host gave to other machines.
    return {
      steal: ticks[7] ?? 0,
      idle: (ticks[3] ?? 0) + (ticks[4] ?? 0),
      total: ticks.slice(0, 8).reduce((a, b) => a + b, 0),
    };
  } catch {
    return null;
  }
}

/**
 * Starts counting the share of CPU time the host took away (steal) — on a shared virtual machine the
 * figures of a run with much stolen time are slower for reasons that are not ours. The returned
 * function gives the percentage since, or null where it cannot be known.
 */
export function stolenSince(): () => number | null {
  const start = cpuTicks();
  return () => {
    const end = cpuTicks();
    if (!start || !end || end.total === start.total) return null;
    return Math.round(((end.steal - start.steal) / (end.total - start.total)) * 1000) / 10;
  };
}

/**
 * Starts counting the CPU time every process on the machine used (all cores, idle and stolen time left
 * out): beside one process's own CPU it tells what the others — a database server on the same machine,
 * the benchmark's driver — took meanwhile. The returned function gives seconds since, or null.
 */
export function machineBusySince(): () => number | null {
  const start = cpuTicks();
  return () => {
    const end = cpuTicks();
    if (!start || !end) return null;
    const busy = (t: NonNullable<typeof start>) => t.total - t.idle - t.steal;
    return (busy(end) - busy(start)) / CLOCK_TICKS;
  };
}
