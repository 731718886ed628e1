/**
 * One statement for many rows without making any of them wait for a timer: the first row goes at once;
 * rows that come while a statement runs wait for the next, which takes them all. A row waits at most one
 * statement beyond its own. `write` answers a promise of each row's outcome, in the rows' order, so one
 * row can fail alone and each caller hears of its own row as soon as it is settled; the next group goes
 * once every row of this one is.
 */
export function grouped<T, R>(write: (rows: T[]) => Promise<Promise<R>[]>): (row: T) => Promise<R> {
  let waiting: { row: T; resolve: (value: R) => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const flush = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      let outcomes: Promise<R>[];
      try {
        outcomes = await write(batch.map((w) => w.row));
      } catch (err) {
        const failed = Promise.reject(err instanceof Error ? err : new Error(String(err)));
        failed.catch(() => undefined);
        outcomes = batch.map(() => failed);
      }
      await Promise.allSettled(
        batch.map((w, i) =>
          (outcomes[i] ?? Promise.reject(new Error('no outcome for this row'))).then(w.resolve, w.reject),
        ),
      );
    }
    // Reset in the same turn as the last check, so a row added now starts a statement of its own.
    running = false;
  };
  return (row) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ row, resolve, reject });
      if (!running) void flush();
    });
}

/** `grouped` for a write that takes its rows all or none. */
export function groupedWrite<T>(write: (rows: T[]) => Promise<void>): (row: T) => Promise<void> {
  return grouped<T, void>(async (rows) => {
    await write(rows);
    return rows.map(() => Promise.resolve());
  });
}
