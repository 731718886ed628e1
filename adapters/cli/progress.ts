/**
 * Progress of long command-line work (import, export, migrate, jobs run) on a terminal: one line on
 * stderr, redrawn in place at most ten times a second, cleared at the end. Piped or redirected, nothing
 * is drawn, so scripts read only the result.
 */

export interface ProgressState {
  /** What is being done: `import: licenses`. */
  label: string;
  done: number;
  /** Unknown while a step cannot count ahead. */
  total?: number | undefined;
  /** What is counted: `rows`. */
  unit: string;
  elapsedMs: number;
}

const count = new Intl.NumberFormat('en-US');

function duration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** `import: licenses 40,000 / 100,000 rows (40 %), about 8 s left` — the estimate once a second has passed. */
export function progressLine(state: ProgressState): string {
  const { label, done, total, unit, elapsedMs } = state;
  if (total === undefined || total <= 0) {
    return `${label} ${count.format(done)} ${unit}, ${duration(elapsedMs)}`;
  }
  const percent = Math.min(100, Math.floor((done / total) * 100));
  let estimate = '';
  if (done >= total) estimate = `, done in ${duration(elapsedMs)}`;
  else if (done > 0 && elapsedMs >= 1000) {
    estimate = `, about ${duration(((total - done) * elapsedMs) / done)} left`;
  }
  return `${label} ${count.format(done)} / ${count.format(total)} ${unit} (${percent} %)${estimate}`;
}

export interface Progress {
  update(label: string, done: number, total?: number, unit?: string): void;
  /** Clears the line: what follows (the result) starts on a clean line. */
  end(): void;
}

const QUIET: Progress = { update: () => undefined, end: () => undefined };

/** A progress line on `stream` when it is a terminal; otherwise one that draws nothing. */
export function progressOn(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY) return QUIET;
  const started = now();
  let label = '';
  let drawnAt = 0;
  let drawn = false;
  return {
    update(nextLabel, done, total, unit = 'rows') {
      const at = now();
      const finished = total !== undefined && done >= total;
      if (nextLabel === label && at - drawnAt < 100 && !finished) return;
      label = nextLabel;
      drawnAt = at;
      const width = Math.max(20, (stream.columns || 80) - 1);
      const line = progressLine({ label, done, total, unit, elapsedMs: at - started }).slice(0, width);
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
