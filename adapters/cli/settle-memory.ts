import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long after the bot is up: its start's late work (the first sweep, Socket Mode's connection) is done by then. */
export const SETTLE_AFTER_MS = 5_000;

export type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * V8's collector, reached without exposing it to the bot's own code: the flag that exposes it applies to
 * contexts created while it is set, so it is set for one new context and cleared again. Undefined where
 * the runtime refuses.
 */
export function heapCollector(): Collect | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as unknown;
    return typeof collect === 'function' ? (collect as Collect) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Gives back, once, the memory the bot's start used and no longer needs. Starting fills the heap's young
 * generation to its full size (32 MiB with the 16 MiB semispaces of bin/transfer-bot.js) and leaves the
 * migrations' and the modules' garbage behind; V8 hands it back to the system only when its memory reducer
 * judges the process idle: on Node 24 not within the first minute, when an idle bot held 155 MiB on
 * PostgreSQL and 416 MiB on the embedded database. One collection that shrinks the heap (`last-resort`, as
 * under memory pressure), a few seconds after the bot is up, does it then: about 40–70 ms once, and the
 * same bots held 101–103 and 238 MiB. Node 20's V8 does not know that kind and runs a smaller collection;
 * its memory reducer shrinks the heap on its own 15–45 s after the start. Returns what cancels it (at a
 * stop before it ran).
 */
export function settleMemoryAfterStart(
  delayMs = SETTLE_AFTER_MS,
  collect: Collect | undefined = heapCollector(),
): () => void {
  const timer = setTimeout(() => {
    collect?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  }, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}
