import { msg, type Msg } from '../domain/msg.js';
import { isComplianceOfficer, type ScreeningCardSeen } from '../domain/permissions.js';
import type { Status } from '../domain/status.js';
import type { Actor, ConsentRole } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import type { CardCopy, PostedCard } from './ports/outbox.js';
import type { UserRow } from './ports/users.js';
import type { ItemView, TransferView } from './views.js';
import { loadTransfer } from './load-view.js';

/** `consent:transferee`, `consent:transferor` or `compliance`: the decision a card asks for. */
export type CardDecision = 'consent:transferee' | 'consent:transferor' | 'compliance';

export const CARD_DECISIONS: readonly CardDecision[] = [
  'consent:transferee',
  'consent:transferor',
  'compliance',
];

export function isCardDecision(value: string | undefined): value is CardDecision {
  return (CARD_DECISIONS as readonly (string | undefined)[]).includes(value);
}

/**
 * A decision card as every platform draws it: the facts of the transfer, and either live buttons
 * (while the decision is open) or who decided what and when (once taken, or once the transfer moved on).
 * Button action ids, which every platform's buttons use: `consent_approve`, `consent_reject`,
 * `compliance_approve`, `compliance_reject`, each carrying the transaction id.
 */
export interface DecisionCardView {
  decision: CardDecision;
  /** The transfer without its history: no card shows it, so a card's read leaves it out. */
  transfer: CardTransferView;
  /** Live buttons, or none once decided. */
  open: boolean;
  actions: { approve: string; reject: string } | null;
  outcome: {
    decision: 'approved' | 'rejected' | null;
    by: string | null;
    at: Date | null;
    reason: string | null;
    /** When the card closed without this decision (cancelled, expired): why. */
    closedBecause: Msg | null;
    /**
     * The decision is still open, but not to the person this copy was posted to: they no longer hold the
     * role it takes (see cardFor). Why, as a click of theirs would be refused.
     */
    cannotAnswer?: Msg;
  } | null;
}

/**
 * Who reads one posted copy of a card: the person it was posted to (whether they are a compliance officer
 * now). The compliance channel's copy has no one reader: it is drawn for the team, as it stands.
 */
export interface CardReader {
  userId: number;
  complianceOfficer: boolean;
}

/** The person acting, as the reader of the card they clicked or opened. */
export const actorReads = (actor: Actor): CardReader => ({
  userId: actor.userId,
  complianceOfficer: isComplianceOfficer(actor),
});

/** A person as the user records have them, as the reader of a copy posted to them. */
export const userReads = (user: Pick<UserRow, 'id' | 'globalRoles'>): CardReader => ({
  userId: user.id,
  complianceOfficer: user.globalRoles.includes('compliance'),
});

/**
 * The card as the person it was posted to reads it: while its decision is open, one who no longer holds the
 * role it takes (a consenter no longer an administrator of their side, a compliance officer no longer one)
 * sees no buttons, and why; anyone else, and the channel's copy (`reader` null), the card as it stands.
 * Their role given back, the buttons come back.
 */
export function cardFor(card: DecisionCardView, reader: CardReader | null): DecisionCardView {
  if (!card.open || reader === null) return card;
  const why = cannotAnswerWhy(card, reader);
  if (!why) return card;
  const outcome = {
    decision: null,
    by: null,
    at: null,
    reason: null,
    closedBecause: null,
    cannotAnswer: why,
  };
  return { ...card, open: false, actions: null, outcome };
}

function cannotAnswerWhy(card: DecisionCardView, reader: CardReader): Msg | null {
  const id = card.transfer.id;
  if (card.decision === 'compliance')
    return reader.complianceOfficer ? null : msg('core:refusal.noLongerCompliance', { id });
  const role = consentRole(card.decision);
  const mine = card.transfer.consents.find(
    (c) => c.role === role && c.person.id === reader.userId && c.decision === null,
  );
  return mine && !mine.mayAnswer ? msg('core:refusal.noLongerAdmin', { id }) : null;
}

/** What a card shows of a transfer: everything but its history. */
export type CardTransferView = Omit<TransferView, 'history'>;

const BUTTONS = {
  consent: { approve: 'consent_approve', reject: 'consent_reject' },
  compliance: { approve: 'compliance_approve', reject: 'compliance_reject' },
};

/** Whose consent a consent card asks for. */
const consentRole = (decision: Exclude<CardDecision, 'compliance'>) =>
  decision === 'consent:transferee' ? 'transferee' : 'transferor';

/** The role a card asks its reader to consent in (transferee or transferor); null on a compliance card. */
export function askedRole(card: Pick<DecisionCardView, 'decision'>): ConsentRole | null {
  return card.decision === 'compliance' ? null : consentRole(card.decision);
}

/** What a card asks about: the items that will move. Those dropped at validation are left out. */
export function itemsDecidedOn(card: Pick<DecisionCardView, 'transfer'>): ItemView[] {
  return card.transfer.items.filter((item) => item.result !== 'excluded');
}

/** Whether a decision is still open; once it is not, who took it, when and why (nothing if nobody did). */
interface Taken {
  open: boolean;
  decision?: 'approved' | 'rejected' | null;
  by?: string | null;
  at?: Date | null;
  reason?: string | null;
}

/** Whether a decision is still asked for: the same rule whether read from the state or from a view. */
function isOpen(
  status: Status,
  consents: readonly { role: string; decision: string | null }[],
  decision: CardDecision,
): boolean {
  if (decision === 'compliance') return status === 'compliance_screening';
  const consent = consents.find((c) => c.role === consentRole(decision));
  return status === 'awaiting_consent' && consent !== undefined && consent.decision === null;
}

function decisionTaken(view: CardTransferView, decision: CardDecision): Taken {
  const open = isOpen(view.status, view.consents, decision);
  if (decision === 'compliance') return { open, ...view.screening };
  const consent = view.consents.find((c) => c.role === consentRole(decision));
  return {
    open,
    decision: consent?.decision,
    by: consent?.decidedBy,
    at: consent?.decidedAt,
    reason: consent?.reason,
  };
}

/**
 * The card for a decision on a transfer as `view` shows it. A surface that has just read the transfer
 * (to answer the click that decided it) draws the card from that read instead of reading it again.
 */
export function decisionCardOf(
  view: CardTransferView,
  decision: CardDecision,
  reader: CardReader | null = null,
): DecisionCardView {
  const taken = decisionTaken(view, decision);
  return cardFor(
    {
      decision,
      transfer: view,
      open: taken.open,
      actions: taken.open ? { ...BUTTONS[decision === 'compliance' ? 'compliance' : 'consent'] } : null,
      outcome: taken.open
        ? null
        : {
            decision: taken.decision ?? null,
            by: taken.by ?? null,
            at: taken.at ?? null,
            reason: taken.reason ?? null,
            closedBecause: taken.decision ? null : view.cancelReason,
          },
    },
    reader,
  );
}

/**
 * The card for a decision as it stands now, fresh from the database (rendered at delivery time, never
 * stale), as `reader` reads it (see cardFor).
 */
export async function buildDecisionCard(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
  reader: CardReader | null = null,
): Promise<DecisionCardView | undefined> {
  const drawn = (await drawDecisionCard(deps, transferId, decision))?.card;
  return drawn && cardFor(drawn, reader);
}

/**
 * As `buildDecisionCard`, with the transfer's version the card was drawn from: while the transfer is still
 * at that version, the card shows it as it stands (every decision moves the version on). Drawn for nobody
 * in particular, and without the history no card shows (one statement fewer for every card drawn).
 */
export async function drawDecisionCard(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<{ card: DecisionCardView; version: number } | undefined> {
  const loaded = await loadTransfer(deps.store, transferId, null, false);
  return loaded && { card: decisionCardOf(loaded.view, decision), version: loaded.state.version };
}

/**
 * Whether a decision is still open, read from the transfer's state alone (not the whole view): the
 * cheap check, after a card was posted, that it needs no redraw. With `userId`, open to that person: a
 * consent still asked of someone no longer holding the role it takes is not (see cardFor).
 */
export async function decisionOpen(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
  userId: number | null = null,
): Promise<boolean> {
  // A compliance card is open while the status says so: its row alone, without the consents.
  if (decision === 'compliance') {
    const row = await deps.store.transfers.loadRow(transferId);
    return row !== undefined && isOpen(row.status, [], decision);
  }
  const loaded = await deps.store.transfers.loadState(transferId);
  if (!loaded || !isOpen(loaded.state.status, loaded.state.consents, decision)) return false;
  const role = consentRole(decision);
  return !loaded.state.consents.some(
    (c) => c.role === role && c.userId === userId && c.decision === null && !c.mayAnswer,
  );
}

/** The person a consent card is for (to resolve their address at delivery). */
export async function consentUserId(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<number | null> {
  if (decision === 'compliance') return null;
  const loaded = await deps.store.transfers.loadState(transferId);
  return loaded?.state.consents.find((c) => c.role === consentRole(decision))?.userId ?? null;
}

/** Who decides a card: the people whose consent it asks for, or every compliance officer. */
export async function deciders(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<UserRow[]> {
  if (decision === 'compliance') return deps.store.users.usersWithGlobalRole('compliance');
  const loaded = await deps.store.transfers.loadState(transferId);
  const asked = loaded?.state.consents.filter((c) => c.role === consentRole(decision)) ?? [];
  const people = await deps.store.users.findUsersByIds(asked.map((c) => c.userId));
  return asked.flatMap((c) => people.get(c.userId) ?? []);
}

/** Whether `copy` names this posted card: the same platform, and the same place there. */
export function isSameCopy(copy: CardCopy, posted: Pick<PostedCard, 'platform' | 'location'>): boolean {
  const keys = Object.keys(copy.location);
  return (
    copy.platform === posted.platform &&
    keys.length > 0 &&
    keys.length === Object.keys(posted.location).length &&
    keys.every((key) => copy.location[key] === posted.location[key])
  );
}

/**
 * Whether `copy` is where this transfer's `decision` card was posted for `actor` (the compliance channel's
 * copy, for a compliance card): the one message a decision taken away from it (in a modal) may redraw.
 * A place a surface was handed back (a modal's metadata) is not trusted for having been the bot's own.
 */
export async function isCardCopyFor(
  deps: AppDeps,
  actor: Actor,
  transferId: string,
  decision: CardDecision,
  copy: CardCopy,
): Promise<boolean> {
  const posted = await deps.store.cards.postedFor(transferId);
  // A compliance card is the channel's copy, or one posted to an officer directly.
  const recipients = decision === 'compliance' ? [null, actor.userId] : [actor.userId];
  return posted.some(
    (card) =>
      card.decision === decision && recipients.includes(card.recipientUserId) && isSameCopy(copy, card),
  );
}

/**
 * Whether this transfer's compliance card reached the actor, so that they know of it: a copy posted to
 * them (`theirs`), or the compliance channel's copy they clicked (`clicked`, checked against where it was
 * posted). What a refusal may tell one who may not see the transfer (see checkScreen); null: nothing.
 */
export async function complianceCardShownTo(
  deps: Pick<AppDeps, 'store'>,
  actor: Actor,
  transferId: string,
  clicked?: CardCopy,
): Promise<ScreeningCardSeen | null> {
  const copies = (await deps.store.cards.postedFor(transferId)).filter((c) => c.decision === 'compliance');
  if (copies.some((card) => card.recipientUserId === actor.userId)) return 'theirs';
  if (!clicked) return null;
  return copies.some((card) => card.recipientUserId === null && isSameCopy(clicked, card)) ? 'channel' : null;
}

/**
 * Whether a copy of this decision's card reached this person: posted to them, or for a compliance card
 * to the compliance channel they read (a copy recorded for nobody in particular).
 */
export function copyPostedTo(
  posted: readonly Pick<PostedCard, 'decision' | 'recipientUserId'>[],
  decision: CardDecision,
  userId: number,
): boolean {
  return posted.some(
    (card) =>
      card.decision === decision &&
      (card.recipientUserId === userId || (decision === 'compliance' && card.recipientUserId === null)),
  );
}
