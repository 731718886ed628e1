/** Nearest-rank percentile of already collected samples (milliseconds or anything else). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The median, the 99th percentile and the largest of some samples. */
export function spread(samples: readonly number[]): { p50: number; p99: number; max: number } {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

/**
 * Waits until the resident set has settled: within 2 MiB over the last second, sampled every 100 ms (at
 * most `limitMs`). A process that has just opened the embedded database may still be compiling the
 * engine's code on V8's background threads, and its resident set moves by hundreds of MiB for a second or
 * two; a growth measured from a moment in that is not the growth of what follows. Says how long it waited,
 * and whether the resident set settled in that time.
 */
export async function settledRss(limitMs = 15_000): Promise<{ waitedMs: number; settled: boolean }> {
  const started = Date.now();
  const window: number[] = [];
  for (;;) {
    window.push(process.memoryUsage().rss);
    if (window.length > 10) window.shift();
    const settled = window.length === 10 && Math.max(...window) - Math.min(...window) < 2 * 1024 * 1024;
    if (settled || Date.now() - started >= limitMs) return { waitedMs: Date.now() - started, settled };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The highest resident set size (and JS heap) seen while `fn` runs, sampled every few milliseconds. A
 * synchronous stretch delays the sampler, so the true peak may be a little higher than reported; the
 * figures before and after are exact.
 */
export async function withPeakMemory<T>(
  fn: () => Promise<T>,
  everyMs = 5,
): Promise<{
  value: T;
  rss: { before: number; peak: number; after: number };
  heap: { before: number; peak: number };
  /** The whole of process.memoryUsage() at the sample where the resident set peaked. */
  atPeak: NodeJS.MemoryUsage;
}> {
  const start = process.memoryUsage();
  let peak = start.rss;
  let heapPeak = start.heapUsed;
  let atPeak = start;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      atPeak = m;
    }
    heapPeak = Math.max(heapPeak, m.heapUsed);
  };
  const timer = setInterval(sample, everyMs);
  try {
    const value = await fn();
    sample();
    return {
      value,
      rss: { before: start.rss, peak, after: process.memoryUsage().rss },
      heap: { before: start.heapUsed, peak: heapPeak },
      atPeak,
    };
  } finally {
    clearInterval(timer);
  }
}
