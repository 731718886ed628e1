/**
 * One statement for many rows without making any of them wait for a timer: the first row goes at once;
 * rows that come while a statement runs wait for the next, which takes them all. A row waits at most one
 * statement beyond its own. `write` answers each row's outcome, in the rows' order, so one row can fail
 * alone; each caller's promise settles with its row's outcome.
 */
export function grouped<T, R>(
  write: (rows: T[]) => Promise<PromiseSettledResult<R>[]>,
): (row: T) => Promise<R> {
  let waiting: { row: T; resolve: (value: R) => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const flush = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      let outcomes: PromiseSettledResult<R>[];
      try {
        outcomes = await write(batch.map((w) => w.row));
      } catch (err) {
        outcomes = batch.map(() => ({ status: 'rejected', reason: err }));
      }
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome?.status === 'fulfilled') w.resolve(outcome.value);
        else w.reject(outcome ? outcome.reason : new Error('no outcome for this row'));
      });
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
    return rows.map(() => ({ status: 'fulfilled', value: undefined }));
  });
}
