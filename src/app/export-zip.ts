import type { Writable } from 'node:stream';

/**
 * How much of a sheet's XML may wait for the zip before the writer waits. exceljs writes a sheet into a
 * queue that the zip reads and compresses on another thread, and never looks at how much is waiting:
 * a sheet written faster than it is compressed piles up in memory (38 MiB of the file of an account with
 * 100,000 transactions, measured). Between pages the writer waits until the zip has taken the queue.
 */
export const ZIP_QUEUE_BYTES = 1 << 20;

/** The queue between a sheet and the zip: a writable stream (archiver's own streams library). */
export interface ZipQueue {
  readonly _writableState: { length: number };
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

function isZipQueue(value: unknown): value is ZipQueue {
  if (typeof value !== 'object' || value === null) return false;
  const state = (value as { _writableState?: { length?: unknown } })._writableState;
  return typeof state?.length === 'number' && typeof (value as { once?: unknown }).once === 'function';
}

/**
 * The queue a streamed sheet writes into, once its first row is committed. It is reached through
 * exceljs's internals (the sheet's stream, which archiver reads through the stream it pipes it to); if
 * they change, there is none, and the writer does not wait, as exceljs itself does not. A test holds
 * this to the version installed.
 */
export function zipQueueOf(sheet: unknown): ZipQueue | undefined {
  const stream = (sheet as { _stream?: { pipes?: unknown } } | null)?._stream;
  const pipes = stream?.pipes;
  if (!Array.isArray(pipes) || pipes.length !== 1) return undefined;
  return isZipQueue(pipes[0]) ? pipes[0] : undefined;
}

/**
 * Resolves once the zip has taken the queue, at once if no more than `limit` bytes wait in it. The file
 * failing or closing ends the wait too: the writer then fails as it would have without waiting.
 */
export function zipTaken(
  queue: ZipQueue | undefined,
  output: Writable,
  limit = ZIP_QUEUE_BYTES,
): Promise<void> {
  if (!queue || queue._writableState.length <= limit) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      queue.removeListener('drain', done);
      output.removeListener('error', done);
      output.removeListener('close', done);
      resolve();
    };
    queue.once('drain', done);
    output.once('error', done);
    output.once('close', done);
  });
}
