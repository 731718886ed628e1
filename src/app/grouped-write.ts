/**
 * One statement for many rows without making any of them wait for a timer: the first row goes at once;
 * rows that come while a statement runs wait for the next, which takes them all. A row waits at most one
 * statement beyond its own. Each caller's promise settles with the statement that carried its row.
 */
export function groupedWrite<T>(write: (rows: T[]) => Promise<void>): (row: T) => Promise<void> {
  let waiting: { row: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const flush = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await write(batch.map((w) => w.row));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    // Reset in the same turn as the last check, so a row added now starts a statement of its own.
    running = false;
  };
  return (row) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ row, resolve, reject });
      if (!running) void flush();
    });
}
