import { decideRetry, type ItemOutcome } from '../domain/decide.js';
import { repeatsOwnRetry } from '../domain/permissions.js';
import type { Status } from '../domain/status.js';
import type { Actor, TransferState } from '../domain/types.js';
import type { Msg } from '../i18n/msg.js';
import { act, stateOnly, type Decided } from './actions.js';
import { checkItems } from './apply.js';
import type { AppDeps } from './deps.js';
import { recordedLines } from './history-items.js';
import type { Repositories } from './ports/store.js';
import type { HistoryRow, ItemRow } from './ports/transfers.js';
import { okResult, type Result } from './run.js';

/** Licensing operations: move the failed items of a "Transfer Completed with Failure" that are eligible now. */
export const retryTransfer = async (deps: AppDeps, actor: Actor, id: string) =>
  stateOnly(await retryLoaded(deps, actor, id));

/**
 * What a retry came to: how many failed items it tried, how many moved (those found already in the
 * destination among them, named in `arrived`), and those still failing with why.
 */
export interface RetryOutcome {
  tried: number;
  moved: number;
  stillFailing: { ref: string; reason: Msg }[];
  arrived: string[];
}

export async function retryLoaded(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<Result<Decided & { retried?: RetryOutcome }>> {
  // The outcome of the attempt that committed (a concurrent decision makes `act` decide again).
  let retried: RetryOutcome | undefined;
  const result = await act(deps, actor, id, 'retry', async (repos, state) => {
    const items = await repos.transfers.items(state.id);
    const failed = items.filter((item) => item.result === 'failed');
    const checks =
      state.status === 'transfer_completed_with_failure'
        ? await checkItems(
            repos,
            state,
            failed.map((item) => item.id),
            true,
            items,
            true,
          )
        : [];
    const outcome = decideRetry(actor, state, checks);
    const outcomes = outcome.ok ? (outcome.decision.items ?? []) : [];
    const wouldMove = outcomes.some((o) => o.result === 'transferred');
    // The same person's retry clicked again (a double click): answered as the first one was.
    const first = wouldMove ? undefined : await ownLastRetry(repos, actor, state);
    if (first && repeatsOwnRetry(actor, state, first.at, deps.now(), wouldMove)) {
      retried = recordedOutcome(first, failed);
      return { outcome, repeat: true };
    }
    retried = outcome.ok ? retryOutcome(failed, outcomes) : undefined;
    return { outcome, move: true };
  });
  return result.ok && retried ? okResult({ ...result.value, retried }) : result;
}

function retryOutcome(failed: ItemRow[], outcomes: ItemOutcome[]): RetryOutcome {
  const refs = new Map(failed.map((item) => [item.id, item.ref]));
  const refOf = (o: ItemOutcome) => refs.get(o.itemId) ?? String(o.itemId);
  const stillFailing = outcomes.flatMap((o) =>
    o.result === 'failed' && o.reason ? [{ ref: refOf(o), reason: o.reason }] : [],
  );
  const moved = outcomes.filter((o) => o.result === 'transferred').length;
  const arrived = outcomes.filter((o) => o.arrived).map(refOf);
  return { tried: outcomes.length, moved, stillFailing, arrived };
}

/** The actor's latest retry of the transfer, as its history recorded it, if any. */
async function ownLastRetry(
  repos: Repositories,
  actor: Actor,
  state: TransferState,
): Promise<HistoryRow | undefined> {
  // Only a retry that was the transfer's last change can be the one clicked again.
  if (!TRIED.includes(state.status)) return undefined;
  const rows = await repos.transfers.history(state.id);
  return rows.findLast((row) => row.action === 'retry' && row.actorId === actor.userId);
}

const TRIED: readonly Status[] = ['transfer_completed', 'transfer_completed_with_failure'];

/**
 * What the actor's retry came to, told again from its record: its counts, the items it found in the
 * destination, and the items still failing (the transfer has not changed since, so these are the ones it
 * left failing, with their reasons).
 */
function recordedOutcome(row: HistoryRow, failed: ItemRow[]): RetryOutcome {
  const counts = row.details?.['items'] as { transferred?: number; failed?: number } | undefined;
  const moved = counts?.transferred ?? 0;
  const stillFailing = failed.flatMap((item) =>
    item.reason ? [{ ref: item.ref, reason: item.reason }] : [],
  );
  const arrived = recordedLines(row.details)
    .filter((line) => line.key === 'core:retry.arrivedItem')
    .map((line) => String(line.params?.['ref'] ?? ''));
  return { tried: moved + (counts?.failed ?? stillFailing.length), moved, stillFailing, arrived };
}
