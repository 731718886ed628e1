/** One measured figure. Ratios carry both sides, so a reader can tell a fast machine from a fast bot. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What the figure should be, in words (`≥ 0.9`, `< 50 ms`); absent for figures reported for context. */
  target?: string;
  /** Whether the target was met; absent without a target. */
  met?: boolean;
  /** For ratios: the two sides. */
  numerator?: { name: string; value: number; unit: string };
  denominator?: { name: string; value: number; unit: string };
  note?: string;
}

export interface BenchOutcome {
  bench: string;
  /** Which database the benchmark ran on (`embedded (PGlite, on disk)` or `PostgreSQL 15.x`). */
  database: string;
  seconds: number;
  /** Share of the machine's CPU time its host took away while this benchmark ran (steal), in %. */
  stolenPercent?: number | null;
  /** When this case ran (results.json keeps earlier runs' figures for the cases a run did not measure). */
  ranAt?: string;
  results: BenchResult[];
  /** Set when the benchmark could not run; the other benchmarks still report. */
  error?: string;
  /**
   * Set when the run was not the benchmark as defined (a quick look at another size): shown, but the
   * figures results.json holds for this case are kept.
   */
  notKept?: string;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `< 50` / `≤ 2000` / `≥ 0.9`: checks a value against a target written the way the issue states it. */
export function check(value: number, op: '<' | '≤' | '≥' | '>', limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '≤':
      return value <= limit;
    case '≥':
      return value >= limit;
    case '>':
      return value > limit;
  }
}

export function targeted(
  base: Omit<BenchResult, 'target' | 'met'>,
  op: '<' | '≤' | '≥' | '>',
  limit: number,
  unit = base.unit,
): BenchResult {
  return { ...base, target: `${op} ${limit}${unit ? ` ${unit}` : ''}`, met: check(base.value, op, limit) };
}
