import type { AppDeps } from '../app/deps.js';

/** Messages looked at in one batch: a scheduler tick forgets at most this many (2.9 million a day). */
export const FORGET_BATCH = 2_000;

/**
 * Forgets the messages delivered (or given up on) longer ago than OUTBOX_KEEP, counted from when each
 * was written, so a busy desk's outbox does not grow for ever: `batches` batches at most, fewer once a
 * batch finds less than a full one to forget. Nothing when OUTBOX_KEEP is 0. A message still pending
 * is never forgotten. What happened to a transfer stays in its history, which is kept. Answers how many
 * it forgot.
 */
export async function forgetDeliveredMessages(deps: AppDeps, now: Date, batches = 1): Promise<number> {
  const keepMs = deps.config.keepDeliveredMs;
  if (keepMs <= 0) return 0;
  const writtenBefore = new Date(now.getTime() - keepMs);
  let forgotten = 0;
  for (let i = 0; i < batches; i++) {
    const n = await deps.store.outbox.forgetDelivered(writtenBefore, FORGET_BATCH);
    forgotten += n;
    if (n < FORGET_BATCH) break;
  }
  return forgotten;
}
