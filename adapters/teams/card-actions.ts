import { z } from 'zod';
import {
  actorReads,
  buildDecisionCard,
  decisionCardOf,
  isCardDecision,
  type CardDecision,
  type CardReader,
  type DecisionCardView,
} from '../../src/app/cards.js';
import { mayReject } from '../../src/app/actions.js';
import { cardOpenedBy } from '../../src/app/may-decide.js';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import type { TransferView } from '../../src/app/views.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseTransactionId } from '../../src/commands/transaction-id.js';
import { isOutOfDate, type Actor } from '../../src/domain/types.js';
import type { Identified } from '../../src/app/identity.js';
import { isPersonal } from './activity.js';
import { textsOf, whoIsSpeaking, type Turn } from './context.js';
import { deciderTeamsIds } from './deciders.js';
import { ADAPTIVE_CARD, type AdaptiveCard } from './render/card.js';
import { renderDecisionCard } from './render/decision-card.js';
import { refusalText } from './render/reply.js';
import type { Texts } from './render/texts.js';
import { renderTransferCard } from './render/transfer-card.js';
import { clickedCopy } from './sender.js';
import { DECISION_VERBS, isDecisionVerb, isTransferVerb, REFRESH_VERB, TRANSFER_VERBS } from './verbs.js';
import { MAX_MESSAGE_LENGTH } from '../../src/text/input-check.js';

/** The answer to an `adaptiveCard/action` invoke: the card that replaces the clicked one, or a message. */
export type ActionResponse =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

export const cardResponse = (card: AdaptiveCard): ActionResponse => ({
  statusCode: 200,
  type: ADAPTIVE_CARD,
  value: card,
});
export const messageResponse = (text: string): ActionResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text,
});

const invokeSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().max(64),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  trigger: z.string().optional(),
});

const dataSchema = z.object({
  transactionId: z.string().max(64),
  decision: z.string().max(64).optional(),
  // As long as anything typed may be (the edge's cap): the core refuses a reason over its own limit, saying
  // its length, on the card itself.
  reason: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  /** Set on the buttons of a transfer card ("View Transaction"), so the answer redraws that card. */
  card: z.literal('transfer').optional(),
  /** Set on a consent card's Reject once it asked to confirm a reject without a reason. */
  confirm: z.boolean().optional(),
});

type ActionData = z.output<typeof dataSchema>;

/** Which decision card to draw after a click: the one the button named, if it fits the verb. */
function cardDecisionFor(
  verb: keyof typeof DECISION_VERBS,
  data: ActionData,
  actor: Actor,
  consents: { role: string; person: { id: number } }[],
): CardDecision | undefined {
  if (DECISION_VERBS[verb].command === 'screen') return 'compliance';
  if (isCardDecision(data.decision) && data.decision !== 'compliance') return data.decision;
  const mine = consents.find((c) => c.person.id === actor.userId);
  return mine ? (`consent:${mine.role}` as CardDecision) : undefined;
}

/** How a decision card is drawn after a click: the refusal shown on it, and for whom (see cardFor). */
interface Drawing {
  error?: string | undefined;
  /** A refusal because the card was out of date (decided, moved past): said first on the card. */
  outOfDate?: string | undefined;
  /** The transfer as the caller has just read it (after the click committed). */
  read?: TransferView | undefined;
  confirmReject?: boolean;
  /** The one who clicked, when the card is theirs alone (a one-to-one chat); null: as it stands. */
  whose?: CardReader | null;
  /** The card itself, drawn already. */
  drawn?: DecisionCardView;
}

async function decisionCard(
  turn: Turn,
  texts: Texts,
  id: string,
  decision: CardDecision,
  { error, outOfDate, read, confirmReject = false, whose = null, drawn }: Drawing = {},
): Promise<AdaptiveCard | undefined> {
  const view =
    drawn ??
    (read
      ? decisionCardOf(read, decision, whose)
      : await buildDecisionCard(turn.ctx.deps, id, decision, whose));
  if (!view) return undefined;
  const refreshUserIds = await deciderTeamsIds(turn.ctx.deps, id, decision);
  return renderDecisionCard(view, texts, {
    refreshUserIds,
    ...(error ? { error } : {}),
    ...(outOfDate ? { outOfDate } : {}),
    ...(confirmReject ? { confirmReject } : {}),
  });
}

async function transferCard(
  turn: Turn,
  texts: Texts,
  actor: Actor,
  id: string,
  extra: {
    notice?: Reply & { kind: 'transfer' };
    error?: string;
    outOfDate?: string;
    confirmReject?: boolean;
  },
) {
  const view = extra.notice?.view ?? (await loadTransferView(turn.ctx.deps, id, actor));
  if (!view) return undefined;
  return renderTransferCard(view, texts, {
    viewerUserId: actor.userId,
    notice: extra.notice?.notice,
    warnings: extra.notice?.warnings,
    warningsTitle: extra.notice?.warningsTitle,
    error: extra.error,
    outOfDate: extra.outOfDate,
    confirmReject: extra.confirmReject,
  });
}

/**
 * `adaptiveCard/action`: a decision (the decision verbs), a requester's button on a transfer card, or
 * Teams asking to refresh a card. The payload is never trusted: the actor is identified again, the core
 * re-checks everything, and a refused click changes nothing and is answered with a message.
 */
export async function handleCardAction(turn: Turn): Promise<ActionResponse> {
  const who = await whoIsSpeaking(turn);
  const texts = textsOf(turn, who.ok ? who.value : null);
  if (!who.ok) return messageResponse(refusalText(who.refusal, texts));
  const invoke = invokeSchema.safeParse(turn.activity.value);
  const data = dataSchema.safeParse(invoke.success ? (invoke.data.action.data ?? {}) : undefined);
  const id = data.success ? parseTransactionId(data.data.transactionId) : undefined;
  if (!invoke.success || !data.success || !id) return messageResponse(texts.t('teams:error.badCard'));
  const { verb } = invoke.data.action;
  if (verb === REFRESH_VERB) return refresh(turn, texts, who.value, id, data.data);
  if (isDecisionVerb(verb)) return decide(turn, texts, who.value, verb, id, data.data);
  if (isTransferVerb(verb)) return requesterAction(turn, texts, who.value.actor, verb, id);
  return messageResponse(texts.t('teams:error.unknownAction', { verb }));
}

async function refresh(
  turn: Turn,
  texts: Texts,
  who: Identified,
  id: string,
  data: ActionData,
): Promise<ActionResponse> {
  // A refresh that names no card it could draw did not come from one of ours.
  if (!isCardDecision(data.decision)) {
    // Whoever asks must be allowed to see the transfer: a refresh is a read.
    const view = await loadTransferView(turn.ctx.deps, id, who.actor);
    return messageResponse(texts.t(view ? 'teams:error.badCard' : 'core:refusal.notFound', { id }));
  }
  // Teams asks for each person's own view of the card: drawn for them, if they may open it.
  const drawn = await cardOpenedBy(turn.ctx.deps, who.actor, id, data.decision);
  const card = drawn && (await decisionCard(turn, texts, id, data.decision, { drawn }));
  return card ? cardResponse(card) : messageResponse(texts.t('core:refusal.notFound', { id }));
}

async function decide(
  turn: Turn,
  texts: Texts,
  who: Identified,
  verb: keyof typeof DECISION_VERBS,
  id: string,
  data: ActionData,
): Promise<ActionResponse> {
  const { command, decision } = DECISION_VERBS[verb];
  const reason = data.reason?.trim() ? data.reason.trim() : undefined;
  // A consent rejected from its card without a reason cancels the transfer for good: asked to confirm
  // first (a reason may still be given), as Slack asks in its reason modal. Only when the reject may be
  // made at all; otherwise the click goes on and is answered as any refused one.
  if (verb === 'consent_reject' && !reason && data.confirm !== true) {
    const asking = await askToConfirmReject(turn, texts, who, id, data);
    if (asking) return cardResponse(asking);
  }
  const reply = await dispatch(
    turn.ctx.deps,
    who.actor,
    { type: command, transactionId: id, decision, ...(reason ? { reason } : {}) },
    // A decision card is drawn from the reply; the transfer card is read again, with its history. The
    // card clicked is named (a refusal may then speak of the compliance conversation's copy), not as
    // `redrawn`: the refresh of every copy after a decision redraws it too.
    {
      onCard: data.card !== 'transfer',
      changed: turn.changes.mark,
      clicked: clickedCopy(turn.activity),
    },
  );
  if (reply.kind === 'refused') {
    // A click the person can fix on the same card (a reject without its reason) redraws the card with
    // the problem, and so does one the transfer has moved past (decided, cancelled), so the card shows it
    // as it is now; anything else (not theirs, unknown) is a message. Nothing changes either way.
    if (reply.refusal.code === 'invalid' || isOutOfDate(reply.refusal)) {
      const error = refusalText(reply.refusal, texts);
      // A screening refused to one no longer an officer: the card they clicked, though they may no longer
      // see the transfer (they were told why).
      const screen = DECISION_VERBS[verb].command === 'screen';
      const view = screen ? undefined : await loadTransferView(turn.ctx.deps, id, who.actor);
      const which = screen ? 'compliance' : view && cardDecisionFor(verb, data, who.actor, view.consents);
      // Their own copy (a one-to-one chat) is drawn for them; the compliance channel's, as it stands.
      const whose = isPersonal(turn.activity) ? actorReads(who.actor) : null;
      // Out of date, the refusal is said first, above the card as it is now; a reason to add, by the inputs.
      const said = isOutOfDate(reply.refusal) ? { outOfDate: error } : { error };
      const card =
        data.card === 'transfer'
          ? await transferCard(turn, texts, who.actor, id, said)
          : which
            ? await decisionCard(turn, texts, id, which, { ...said, whose })
            : undefined;
      if (card) return cardResponse(card);
    }
    return messageResponse(refusalText(reply.refusal, texts));
  }
  if (data.card === 'transfer') {
    const card = await transferCard(
      turn,
      texts,
      who.actor,
      id,
      reply.kind === 'transfer' ? { notice: reply } : {},
    );
    if (card) return cardResponse(card);
  }
  // The reply's view is the transfer as the decision left it: the card is drawn from it, not read again.
  const view = reply.kind === 'transfer' ? reply.view : await loadTransferView(turn.ctx.deps, id, null);
  const which = view ? cardDecisionFor(verb, data, who.actor, view.consents) : undefined;
  const card = which ? await decisionCard(turn, texts, id, which, { read: view }) : undefined;
  const notice =
    reply.kind === 'transfer' && reply.notice
      ? texts.msg(reply.notice)
      : texts.t('teams:decision.recorded', { id });
  return card ? cardResponse(card) : messageResponse(notice);
}

/**
 * The card a consent Reject without a reason was clicked on, asking to confirm (its Reject now confirms);
 * undefined when the reject may not be made at all, so the click goes on to be refused as any other.
 */
async function askToConfirmReject(
  turn: Turn,
  texts: Texts,
  who: Identified,
  id: string,
  data: ActionData,
): Promise<AdaptiveCard | undefined> {
  const may = await mayReject(turn.ctx.deps, who.actor, id, 'consent');
  if (!may.ok) return undefined;
  const asking = texts.t('teams:decision.confirmReject');
  if (data.card === 'transfer')
    return transferCard(turn, texts, who.actor, id, { error: asking, confirmReject: true });
  const view = await loadTransferView(turn.ctx.deps, id, who.actor);
  const which = view ? cardDecisionFor('consent_reject', data, who.actor, view.consents) : undefined;
  return which ? decisionCard(turn, texts, id, which, { error: asking, confirmReject: true }) : undefined;
}

async function requesterAction(
  turn: Turn,
  texts: Texts,
  actor: Actor,
  verb: keyof typeof TRANSFER_VERBS,
  id: string,
): Promise<ActionResponse> {
  const reply = await dispatch(
    turn.ctx.deps,
    actor,
    { type: TRANSFER_VERBS[verb], transactionId: id },
    { changed: turn.changes.mark },
  );
  if (reply.kind === 'refused') {
    // A button the transfer has moved past (submitted or cancelled since the card was drawn): the card is
    // drawn as the transfer is now, saying why, so its stale buttons go.
    if (isOutOfDate(reply.refusal)) {
      const card = await transferCard(turn, texts, actor, id, {
        outOfDate: refusalText(reply.refusal, texts),
      });
      if (card) return cardResponse(card);
    }
    return messageResponse(refusalText(reply.refusal, texts));
  }
  if (reply.kind === 'transfer') {
    const card = await transferCard(turn, texts, actor, id, { notice: reply });
    if (card) return cardResponse(card);
  }
  return messageResponse(
    reply.kind === 'done' ? texts.msg(reply.message) : texts.t('teams:decision.recorded', { id }),
  );
}
