import { decideConsent, decideScreen } from '../domain/decide.js';
import { canView, isComplianceOfficer, type ScreeningCardSeen } from '../domain/permissions.js';
import type { Actor, TransferState } from '../domain/types.js';
import {
  actorReads,
  buildDecisionCard,
  complianceCardShownTo,
  type CardDecision,
  type DecisionCardView,
} from './cards.js';
import type { AppDeps } from './deps.js';
import type { CardCopy } from './ports/outbox.js';
import { auditRefusal, notFound, okResult, refused, type Result } from './run.js';

/**
 * How this transfer's compliance card reached one who is no compliance officer (no longer, or never):
 * posted to them, or the channel's copy they clicked (`clicked`). A refusal tells them what the card showed
 * them, where anyone else learns nothing of the transfer (see checkScreen). Nothing read for an officer.
 */
export function screeningCardSeen(
  deps: AppDeps,
  actor: Actor,
  id: string,
  clicked?: CardCopy,
): Promise<ScreeningCardSeen | null> {
  if (isComplianceOfficer(actor)) return Promise.resolve(null);
  return complianceCardShownTo(deps, actor, id, clicked);
}

export async function viewableState(deps: AppDeps, actor: Actor, id: string): Promise<Result<TransferState>> {
  const loaded = await deps.store.transfers.loadState(id);
  if (!loaded || !canView(actor, loaded.state)) {
    const refusal = notFound(id);
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
  clicked?: CardCopy,
): Promise<Result<TransferState>> {
  const seen = kind === 'screen' ? await screeningCardSeen(deps, actor, id, clicked) : null;
  const loaded = seen ? await deps.store.transfers.loadState(id) : undefined;
  const state = loaded ? okResult(loaded.state) : await viewableState(deps, actor, id);
  if (!state.ok) return state;
  const outcome =
    kind === 'consent'
      ? decideConsent(actor, state.value, 'reject', null)
      : decideScreen(actor, state.value, 'reject', 'reason', seen);
  if (outcome.ok) return state;
  await auditRefusal(deps, actor, id, `${kind}.reject`, outcome.refusal);
  return refused(outcome.refusal);
}

/**
 * A decision card as the actor opens it again (Teams asks for it whenever they look at it), drawn for them
 * (see cardFor): while they may see the transfer, or, for a compliance card, while it is one posted to
 * them (no longer a compliance officer, they see it without buttons, saying why). Undefined for anyone else.
 */
export async function cardOpenedBy(
  deps: AppDeps,
  actor: Actor,
  id: string,
  decision: CardDecision,
): Promise<DecisionCardView | undefined> {
  const loaded = await deps.store.transfers.loadState(id);
  if (!loaded) return undefined;
  const mayOpen =
    canView(actor, loaded.state) ||
    (decision === 'compliance' && (await screeningCardSeen(deps, actor, id)) === 'theirs');
  return mayOpen ? buildDecisionCard(deps, id, decision, actorReads(actor)) : undefined;
}
