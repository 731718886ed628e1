import type { Tx } from '../../db/client.js';
import { pgErrorCode } from '../../db/client.js';
import { appendHistory } from '../../db/transfers-repo.js';
import type { Actor, Refusal } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { withCommitEffects } from './after-commit.js';
import { ConflictError, actorLabel } from './apply.js';
import type { AppDeps } from './deps.js';

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
  fn: (tx: Tx) => Promise<Result<T>>,
): Promise<Result<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withCommitEffects(() => deps.db.transaction((tx) => fn(tx)));
    } catch (err) {
      const retryable =
        err instanceof ConflictError || pgErrorCode(err) === '40001' || pgErrorCode(err) === '40P01';
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        if (err instanceof ConflictError)
          return refused(refuse('conflict', 'core:refusal.busy', { id: err.transferId }));
        throw err;
      }
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

/** SPEC §10: a refused action is part of the record too. */
export async function auditRefusal(
  deps: AppDeps,
  actor: Actor | null,
  transferId: string | null,
  action: string,
  refusal: Refusal,
): Promise<void> {
  await appendHistory(deps.db, [
    {
      transferId,
      at: deps.now(),
      actorId: actor?.userId ?? null,
      actor: actorLabel(actor),
      surface: actor?.surface ?? 'system',
      action: `refused.${action}`,
      reason: refusal.code,
      details: { refusal: refusal.message },
    },
  ]);
}
