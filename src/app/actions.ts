import {
  decideCancel,
  decideConsent,
  decideExpiry,
  decideScreen,
  decideSubmit,
  type Outcome,
} from '../domain/decide.js';
import { canView, repeatsOwnDecision } from '../domain/permissions.js';
import { transferorCandidates } from '../domain/consenters.js';
import type { Actor, Refusal, Surface, TransferState } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { applyDecision, moveItems } from './apply.js';
import { screeningCardSeen } from './may-decide.js';
import type { AppDeps } from './deps.js';
import type { CardCopy } from './ports/outbox.js';
import type { Repositories } from './ports/store.js';
import type { LoadedTransfer } from './ports/transfers.js';
import { auditRefusal, inTransaction, notFound, okResult, refused, type Result } from './run.js';
import { msg } from '../i18n/msg.js';
import { recordedText } from '../text/input-check.js';

type Consenters = { role: 'transferee' | 'transferor'; userId: number }[];

interface Step {
  outcome: Outcome;
  consenters?: Consenters;
  /** Assets to move before the decision is saved (retry). */
  move?: boolean;
  /** The actor's own decision, recorded already: the transfer as it stands is the answer (see repeatsOwnDecision). */
  repeat?: boolean;
  /** Who the change is recorded as done by, when not the actor (a bot's step a bot admin's change caused). */
  by?: Actor;
  /** Or, when no person did it: what did (an inventory import), and where. */
  recordedAs?: { actor: string; surface: Surface };
}

/**
 * The transfer as a decision left it. `repeated` when the decision was the actor's own, recorded already
 * (a second submission): nothing changed, and this says who decided, when, and the status it stands in,
 * for a surface that would otherwise answer with nothing new to see. Not on record as a refused attempt.
 */
export type Decided = LoadedTransfer & { repeated?: Refusal };

/** The refusal a repeated decision met ("already decided by … on …"), with the status the transfer is in. */
const repeatedAnswer = (refusal: Refusal, state: TransferState): Refusal => ({
  ...refusal,
  details: [...(refusal.details ?? []), msg('core:reply.statusNow', { id: state.id, status: state.status })],
});

/**
 * The shape of every decision on an existing transfer: read it, check the actor may see it, decide,
 * save — in one database transaction, re-run from a fresh read if a concurrent decision won. `shown`:
 * the actor was shown the transfer's card (see complianceCardShownTo), so a refusal may name it though
 * they may no longer see it; the decision refuses them in its own words.
 */
export async function act(
  deps: AppDeps,
  actor: Actor | null,
  id: string,
  action: string,
  decide: (repos: Repositories, state: TransferState) => Promise<Step>,
  redrawn?: CardCopy,
  shown = false,
): Promise<Result<Decided>> {
  const now = deps.now();
  const result = await inTransaction<Decided>(deps, async (repos) => {
    // One decision on a transfer at a time: a second waits for the first to commit, then reads the transfer
    // as it left it. Otherwise, reading its row and then its items or history in separate statements, it
    // could decide on a status from before the first and items from after (a retry told "nothing to retry").
    await repos.transfers.lockForDecision(id);
    const loaded = await repos.transfers.loadState(id);
    if (!loaded || (actor && !shown && !canView(actor, loaded.state))) {
      return refused(notFound(id));
    }
    const step = await decide(repos, loaded.state);
    // The actor's own decision again: the transfer as it stands is the answer, and nothing is run or written.
    if (step.repeat)
      return okResult(
        step.outcome.ok
          ? loaded
          : { ...loaded, repeated: repeatedAnswer(step.outcome.refusal, loaded.state) },
      );
    if (!step.outcome.ok) return refused(step.outcome.refusal);
    if (step.move) await moveItems(repos, loaded.state, step.outcome.decision.items ?? []);
    const by = step.by ?? actor;
    const after = await applyDecision(
      repos,
      loaded.state,
      step.outcome.decision,
      {
        actor: by,
        surface: step.recordedAs?.surface ?? by?.surface ?? 'system',
        now,
        redrawn,
        recordedAs: step.recordedAs?.actor,
      },
      step.consenters ? { consenters: step.consenters } : {},
    );
    return okResult(after);
  });
  // A person's attempt refused is on record; the bot's own (an expiry another instance took first) is not.
  if (!result.ok && actor) await auditRefusal(deps, actor, id, action, result.refusal);
  return result;
}

/** Above this many items, a transfer's requester hears once that it is being checked and moved. */
export const LARGE_TRANSFER_ITEMS = 500;

/**
 * A large transfer is checked and moved in one long database transaction, and its outcome is told when
 * that commits. So, before it starts, one message in a transaction of its own tells the requester the work
 * is under way and how many items it covers — one message for the whole transfer, never one per item.
 * Only when the decision, taken on the transfer as it stands, would run it; the decision itself is taken
 * again, compare-and-set, inside the transaction that follows.
 */
async function announceLargeTransfer(
  deps: AppDeps,
  id: string,
  decide: (state: TransferState) => Outcome,
): Promise<void> {
  const loaded = await deps.store.transfers.loadState(id);
  if (!loaded) return;
  const outcome = decide(loaded.state);
  if (!outcome.ok || !outcome.decision.execute) return;
  const count = await deps.store.transfers.pendingItemCount(id);
  if (count <= LARGE_TRANSFER_ITEMS) return;
  await deps.store.outbox.enqueue(deps.now(), [
    {
      dedupeKey: `${id}:v${loaded.state.version}:progress`,
      recipientUserId: loaded.state.requesterId,
      payload: {
        type: 'message',
        transferId: id,
        text: msg('core:notify.largeTransferRunning', { id, count }),
        lines: [],
      },
    },
  ]);
}

/** The transfer as a decision left it, without its row (for callers that answer with the state alone). */
export const stateOnly = (result: Result<Decided>): Result<TransferState> =>
  result.ok ? okResult(result.value.state) : result;

/**
 * Each decision twice: `…Transfer` answers with the transfer's state, `…Loaded` with its row too, read
 * in the decision's own transaction, so a caller drawing the transfer need not read it again.
 */
export const submitTransfer = async (deps: AppDeps, actor: Actor, id: string) =>
  stateOnly(await submitLoaded(deps, actor, id));

export async function submitLoaded(deps: AppDeps, actor: Actor, id: string): Promise<Result<Decided>> {
  await announceLargeTransfer(deps, id, (state) => decideSubmit(actor, state));
  return act(deps, actor, id, 'submit', async (repos, state) => {
    const outcome = decideSubmit(actor, state);
    if (!outcome.ok || !outcome.decision.requestConsents) return { outcome };
    const consenters: Consenters = [];
    if (state.transfereeId !== null) consenters.push({ role: 'transferee', userId: state.transfereeId });
    if (outcome.decision.requestConsents.includes('transferor')) {
      const transferors = await transferorsToAsk(repos, state);
      if ('gone' in transferors)
        return {
          outcome: {
            ok: false,
            refusal: refuse('invalid', 'core:refusal.namedTransferorGone', { id, email: transferors.gone }),
          },
        };
      if (transferors.length === 0) {
        return { outcome: { ok: false, refusal: refuse('invalid', 'core:refusal.noTransferor', { id }) } };
      }
      for (const userId of transferors) consenters.push({ role: 'transferor', userId });
    }
    return { outcome, consenters };
  });
}

/**
 * On a partner's request the transferor consents too: the one the requester named, else every admin of
 * the source Smart Account from its own legal entity — the first to answer decides for all. One named who
 * is no longer eligible (roles changed since the request) is not replaced by others unasked for: `gone`
 * names them, and the submission is refused saying so.
 */
async function transferorsToAsk(
  repos: Repositories,
  state: TransferState,
): Promise<number[] | { gone: string }> {
  const source = (await repos.accounts.smartAccountsByIds([state.sourceSmartAccountId])).get(
    state.sourceSmartAccountId,
  );
  if (!source) return [];
  const row = await repos.transfers.loadRow(state.id);
  const eligible = transferorCandidates(
    state.requesterId,
    source,
    await repos.users.adminsOf(state.sourceSmartAccountId),
    row?.transfereeId ?? null,
  );
  const namedId = row?.transferorId ?? null;
  if (namedId === null) return eligible.map((u) => u.id);
  if (eligible.some((u) => u.id === namedId)) return [namedId];
  const named = await repos.users.findUser({ id: namedId });
  return { gone: named?.email ?? String(namedId) };
}

/** A reason as the record keeps it for others to read (see `recordedText`). */
const recorded = (reason: string | null): string | null => (reason === null ? null : recordedText(reason));

export const cancelTransfer = async (deps: AppDeps, actor: Actor, id: string, reason: string | null = null) =>
  stateOnly(await cancelLoaded(deps, actor, id, reason));

export function cancelLoaded(deps: AppDeps, actor: Actor, id: string, reason: string | null = null) {
  return act(deps, actor, id, 'cancel', async (_repos, state) => ({
    outcome: decideCancel(actor, state, recorded(reason)),
  }));
}

export const consentTransfer = async (
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null = null,
  redrawn?: CardCopy,
) => stateOnly(await consentLoaded(deps, actor, id, decision, reason, redrawn));

export function consentLoaded(
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null = null,
  redrawn?: CardCopy,
) {
  return act(
    deps,
    actor,
    id,
    `consent.${decision}`,
    async (_repos, state) => ({
      outcome: decideConsent(actor, state, decision, recorded(reason)),
      repeat: repeatsOwnDecision(actor, state, 'consent', decision),
    }),
    redrawn,
  );
}

export const screenTransfer = async (
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null = null,
  redrawn?: CardCopy,
) => stateOnly(await screenLoaded(deps, actor, id, decision, reason, redrawn));

export async function screenLoaded(
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null = null,
  redrawn?: CardCopy,
  /** The card clicked, when the surface does not redraw it for everyone (see DispatchOptions.clicked). */
  clicked: CardCopy | undefined = redrawn,
) {
  if (decision === 'approve')
    await announceLargeTransfer(deps, id, (state) => decideScreen(actor, state, decision, reason));
  const seen = await screeningCardSeen(deps, actor, id, clicked);
  return act(
    deps,
    actor,
    id,
    `screen.${decision}`,
    async (_repos, state) => ({
      outcome: decideScreen(actor, state, decision, recorded(reason), seen),
      repeat: repeatsOwnDecision(actor, state, 'screen', decision),
    }),
    redrawn,
    seen !== null,
  );
}

/** Consent not given in time: called by the scheduler with the time the consent was asked for. */
export function expireTransfer(deps: AppDeps, id: string, consentRequestedAt: Date) {
  return act(deps, null, id, 'expire', async (_repos, state) => ({
    outcome: decideExpiry(state, deps.now(), consentRequestedAt, deps.config.consentExpireAfterMs),
  }));
}

export { mayReject, viewableState } from './may-decide.js';
