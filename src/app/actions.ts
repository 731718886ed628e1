import type { Tx } from '../../db/client.js';
import { smartAccountsByIds } from '../../db/accounts-repo.js';
import { loadItems, loadTransferState } from '../../db/transfers-repo.js';
import { adminsOf } from '../../db/users-repo.js';
import {
  decideCancel,
  decideConsent,
  decideExpiry,
  decideRetry,
  decideScreen,
  decideSubmit,
  type Outcome,
} from '../domain/decide.js';
import { canView } from '../domain/permissions.js';
import type { Actor, TransferState } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { applyDecision, checkItems, moveItems } from './apply.js';
import type { AppDeps } from './deps.js';
import { auditRefusal, inTransaction, okResult, refused, type Result } from './run.js';

type Consenters = { role: 'transferee' | 'transferor'; userId: number }[];

interface Step {
  outcome: Outcome;
  consenters?: Consenters;
  /** Assets to move before the decision is saved (retry). */
  move?: boolean;
}

/**
 * The shape of every decision on an existing transfer: read it, check the actor may see it, decide,
 * save — in one database transaction, re-run from a fresh read if a concurrent decision won.
 */
async function act(
  deps: AppDeps,
  actor: Actor | null,
  id: string,
  action: string,
  decide: (tx: Tx, state: TransferState) => Promise<Step>,
): Promise<Result<TransferState>> {
  const now = deps.now();
  const result = await inTransaction<TransferState>(deps, async (tx) => {
    const loaded = await loadTransferState(tx, id);
    if (!loaded || (actor && !canView(actor, loaded.state))) {
      return refused(refuse('not_found', 'core:refusal.notFound', { id }));
    }
    const step = await decide(tx, loaded.state);
    if (!step.outcome.ok) return refused(step.outcome.refusal);
    if (step.move) await moveItems(tx, loaded.state, step.outcome.decision.items ?? []);
    const after = await applyDecision(
      tx,
      loaded.state,
      step.outcome.decision,
      { actor, surface: actor?.surface ?? 'system', now },
      step.consenters ? { consenters: step.consenters } : {},
    );
    return okResult(after);
  });
  if (!result.ok) await auditRefusal(deps, actor, id, action, result.refusal);
  return result;
}

export function submitTransfer(deps: AppDeps, actor: Actor, id: string): Promise<Result<TransferState>> {
  return act(deps, actor, id, 'submit', async (tx, state) => {
    const outcome = decideSubmit(actor, state);
    if (!outcome.ok || !outcome.decision.requestConsents) return { outcome };
    const consenters: Consenters = [];
    if (state.transfereeId !== null) consenters.push({ role: 'transferee', userId: state.transfereeId });
    if (outcome.decision.requestConsents.includes('transferor')) {
      const transferor = await findTransferor(tx, state);
      if (transferor === null) {
        return { outcome: { ok: false, refusal: refuse('invalid', 'core:refusal.noTransferor', { id }) } };
      }
      consenters.push({ role: 'transferor', userId: transferor });
    }
    return { outcome, consenters };
  });
}

/**
 * On a partner's request the transferor consents too: an admin of the source Smart Account from the
 * source's own legal entity (SPEC §4.4). Chosen by e-mail order, so the choice is stable.
 */
export async function findTransferor(tx: Tx, state: TransferState): Promise<number | null> {
  const source = (await smartAccountsByIds(tx, [state.sourceSmartAccountId])).get(state.sourceSmartAccountId);
  const admins = await adminsOf(tx, state.sourceSmartAccountId);
  const own = admins.find(
    (u) => u.id !== state.requesterId && source?.legalEntityId && u.legalEntityId === source.legalEntityId,
  );
  return own?.id ?? null;
}

export function cancelTransfer(deps: AppDeps, actor: Actor, id: string, reason: string | null = null) {
  return act(deps, actor, id, 'cancel', async (_tx, state) => ({
    outcome: decideCancel(actor, state, reason),
  }));
}

export function consentTransfer(
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null = null,
) {
  return act(deps, actor, id, `consent.${decision}`, async (_tx, state) => ({
    outcome: decideConsent(actor, state, decision, reason),
  }));
}

export function screenTransfer(
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null = null,
) {
  return act(deps, actor, id, `screen.${decision}`, async (_tx, state) => ({
    outcome: decideScreen(actor, state, decision, reason),
  }));
}

/** Licensing operations: move the failed items of a "Transfer Completed with Failure" that are eligible now. */
export function retryTransfer(deps: AppDeps, actor: Actor, id: string) {
  return act(deps, actor, id, 'retry', async (tx, state) => {
    const itemIds = (await loadItems(tx, state.id)).filter((i) => i.result === 'failed').map((i) => i.id);
    const checks =
      state.status === 'transfer_completed_with_failure' ? await checkItems(tx, state, itemIds, true) : [];
    return { outcome: decideRetry(actor, state, checks), move: true };
  });
}

/** Consent not given in time: called by the scheduler with the time the consent was asked for. */
export function expireTransfer(deps: AppDeps, id: string, consentRequestedAt: Date) {
  return act(deps, null, id, 'expire', async (_tx, state) => ({
    outcome: decideExpiry(state, deps.now(), consentRequestedAt, deps.config.consentExpireAfterMs),
  }));
}

export async function viewableState(deps: AppDeps, actor: Actor, id: string): Promise<Result<TransferState>> {
  const loaded = await loadTransferState(deps.db, id);
  if (!loaded || !canView(actor, loaded.state)) {
    const refusal = refuse('not_found', 'core:refusal.notFound', { id });
    await auditRefusal(deps, actor, id, 'view', refusal);
    return refused(refusal);
  }
  return okResult(loaded.state);
}

/**
 * Whether the actor may reject now, asked before they are asked for a reason: the decision the reject
 * itself will make (with a stand-in reason), and a refusal recorded like any other.
 */
export async function mayReject(
  deps: AppDeps,
  actor: Actor,
  id: string,
  kind: 'consent' | 'screen',
): Promise<Result<TransferState>> {
  const state = await viewableState(deps, actor, id);
  if (!state.ok) return state;
  const outcome =
    kind === 'consent'
      ? decideConsent(actor, state.value, 'reject', null)
      : decideScreen(actor, state.value, 'reject', 'reason');
  if (outcome.ok) return state;
  await auditRefusal(deps, actor, id, `${kind}.reject`, outcome.refusal);
  return refused(outcome.refusal);
}
