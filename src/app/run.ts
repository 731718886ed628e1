import type { Actor, Refusal } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { shownBack } from '../text/input-check.js';
import { ConflictError, actorLabel } from './apply.js';
import type { AppDeps } from './deps.js';
import { ConcurrentUpdateError, type Repositories } from './ports/store.js';

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const okResult = <T>(value: T): Result<T> => ({ ok: true, value });
export const refused = <T>(refusal: Refusal): Result<T> => ({ ok: false, refusal });

const MAX_ATTEMPTS = 8;

/**
 * One database transaction; when a concurrent decision wins the compare-and-set, the whole thing runs
 * again from a fresh read, so the loser is told what happened ("already decided by …") instead of acting twice.
 */
export async function inTransaction<T>(
  deps: AppDeps,
  work: (repos: Repositories) => Promise<Result<T>>,
): Promise<Result<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.store.transaction(work);
    } catch (err) {
      const retryable = err instanceof ConflictError || err instanceof ConcurrentUpdateError;
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        if (err instanceof ConflictError)
          return refused(refuse('conflict', 'core:refusal.busy', { id: err.transferId }));
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/**
 * A refused action is part of the record too: the first of each minute for one actor, transfer, action
 * and reason refused for, with how many there were in that minute counted beside it (a flood of clicks
 * writes one row; a refusal for another reason in the same minute is a row of its own).
 */
export async function auditRefusal(
  deps: AppDeps,
  actor: Actor | null,
  transferId: string | null,
  action: string,
  refusal: Refusal,
): Promise<void> {
  const at = deps.now();
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const seen = await deps.store.transfers.countRefusal({
    transferId,
    actor: actorLabel(actor),
    action: `refused.${action}`,
    code: refusal.code,
    minute,
  });
  if (seen > 1) return;
  await deps.store.transfers.appendHistory([
    {
      transferId,
      at,
      actorId: actor?.userId ?? null,
      actor: actorLabel(actor),
      surface: actor?.surface ?? 'system',
      action: `refused.${action}`,
      reason: refusal.code,
      details: { refusal: refusal.message },
    },
  ]);
}

/** The longest id a refusal shows back: an id is 11 characters; a button's value may be 2,000. */
const ID_SHOWN = 40;

/**
 * "Transaction … was not found, or you are not allowed to see it": the id as given (a forged button's
 * value too), cut short and with what would disguise it named by code point.
 */
export function notFound(id: string): Refusal {
  const shown = [...id].length > ID_SHOWN ? `${[...id].slice(0, ID_SHOWN - 1).join('')}…` : id;
  return refuse('not_found', 'core:refusal.notFound', { id: shownBack(shown) });
}
