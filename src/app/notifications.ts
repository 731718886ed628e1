import type { CardCopy, OutboxEntry } from './ports/outbox.js';
import type { Escalated } from './ports/transfers.js';
import type { Decision } from '../domain/decide.js';
import type { Status } from '../domain/status.js';
import type { ConsentRole } from '../domain/types.js';
import { msg, type Msg } from '../i18n/msg.js';

export const COMPLIANCE_CHANNEL = 'compliance';

export interface NotifyInput {
  transferId: string;
  /** The version the change produced: with the transfer id, it makes every message's dedupe key unique. */
  version: number;
  actorUserId: number | null;
  requesterId: number;
  /** Everyone asked to consent (transferee, and transferor on a partner's request). */
  consenterIds: { role: string; userId: number }[];
  finalStatus: Status;
  decision: Decision;
  failedItems: number;
  /** The card the decider clicked, which their surface redraws itself: the refresh leaves it alone. */
  redrawn?: CardCopy | undefined;
  /** Who made the change, as named to the admins asked to follow up with them (a consent answered). */
  actorName?: string | undefined;
  /** The admins the reminders escalated to, per role: asked to follow up on that role's consent. */
  escalated?: readonly Escalated[] | undefined;
  /** The roles whose consent was answered before this change: their escalated admins were told then. */
  answeredBefore?: readonly ConsentRole[] | undefined;
}

const DECISION_STATUSES: readonly Status[] = ['awaiting_consent', 'compliance_screening'];

/**
 * What a change must tell whom: every status change to the requester, and from the consent
 * stage on to the consenters; to the admins a reminder escalated to, once, that the consent they were
 * asked to follow up is no longer awaited (see `followUpSettled`); decision cards to the people who
 * decide; a refresh of every posted card once its decision is taken, so no stale button stays live, and
 * again when a retry moves items.
 */
export function notificationsFor(input: NotifyInput): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const key = (suffix: string) => `${input.transferId}:v${input.version}:${suffix}`;
  const { steps } = input.decision;
  const recipients = new Set<number>();

  if (steps.length > 0) {
    const lines: Msg[] = stepLines(input);
    if (input.failedItems > 0) lines.push(msg('core:notify.failedItems', { count: input.failedItems }));
    const text = msg('core:notify.statusChanged', { id: input.transferId, status: input.finalStatus });
    recipients.add(input.requesterId);
    for (const c of input.consenterIds) if (c.userId !== input.actorUserId) recipients.add(c.userId);
    for (const userId of recipients) {
      entries.push({
        dedupeKey: key(`status:${userId}`),
        recipientUserId: userId,
        payload: { type: 'message', transferId: input.transferId, text, lines },
      });
    }
  }

  entries.push(...followUpSettled(input, recipients));

  // A retry that moved some items and left the status as it was: the requester hears what moved.
  const { decision } = input;
  if (
    steps.length === 0 &&
    decision.action === 'retry' &&
    decision.items?.some((i) => i.result === 'transferred')
  ) {
    entries.push({
      dedupeKey: key(`retried:${input.requesterId}`),
      recipientUserId: input.requesterId,
      payload: {
        type: 'message',
        transferId: input.transferId,
        text: msg('core:notify.retried', { id: input.transferId }),
        lines: decision.note ? [decision.note] : [],
      },
    });
  }

  // A role asked of several people (every eligible transferor) gives each of them the card.
  for (const role of input.decision.requestConsents ?? []) {
    for (const consenter of input.consenterIds.filter((c) => c.role === role)) {
      entries.push({
        dedupeKey: key(`card:consent:${role}:${consenter.userId}`),
        recipientUserId: consenter.userId,
        payload: { type: 'card', transferId: input.transferId, decision: `consent:${role}` },
      });
    }
  }

  if (steps.some((s) => s.to === 'compliance_screening')) {
    entries.push({
      dedupeKey: key('card:compliance'),
      recipientChannel: COMPLIANCE_CHANNEL,
      payload: { type: 'card', transferId: input.transferId, decision: 'compliance' },
    });
  }

  // Those asked who can no longer answer, or can again: their own copies are redrawn, with or without buttons,
  // and the requester, who waits on them, hears who can no longer answer and who still can (or who can again).
  const { answerers } = decision;
  if (answerers) {
    entries.push({
      dedupeKey: key('card_refresh:answerers'),
      payload: { type: 'card_refresh', transferId: input.transferId, onlyFor: answerers.userIds },
    });
    const params = { id: input.transferId, names: answerers.names };
    entries.push({
      dedupeKey: key(`answerers:${input.requesterId}`),
      recipientUserId: input.requesterId,
      payload: {
        type: 'message',
        transferId: input.transferId,
        text: msg(answerers.canAnswer ? 'core:notify.canAnswerAgain' : 'core:notify.cannotAnswer', params),
        lines: [...(decision.note ? [decision.note] : []), ...answerers.awaited],
      },
    });
  }

  const decided = input.decision.consent !== undefined || input.decision.screening !== undefined;
  const leftDecisionStage = steps.some((s) => DECISION_STATUSES.includes(s.from));
  // A retry that moved items changes what the posted cards show after the decision (their items' results,
  // and the status once none still fails): every copy is redrawn, as after the decision itself.
  const retriedSome =
    decision.action === 'retry' && (decision.items ?? []).some((i) => i.result === 'transferred');
  if (decided || leftDecisionStage || retriedSome) {
    entries.push({
      dedupeKey: key('card_refresh'),
      payload: {
        type: 'card_refresh',
        transferId: input.transferId,
        ...(input.redrawn ? { skip: input.redrawn } : {}),
      },
    });
  }
  return entries;
}

/** The status change as its message lists it: each step, then why. */
function stepLines(input: NotifyInput): Msg[] {
  const { steps } = input.decision;
  const lines: Msg[] = steps.map((s) => msg('core:notify.step', { from: s.from, to: s.to }));
  for (const s of steps) if (s.reason) lines.push(s.reason);
  return lines;
}

/**
 * Of the admins the reminders escalated to, those the escalation had reached by `now`: one held until their
 * reminder window opens (see consent-batch.ts) has asked nothing of them before then, and is dropped unsent
 * once the consent is settled, so they have nothing to hear of how it ended.
 */
export function reachedBy(escalated: readonly Escalated[], now: Date): Escalated[] {
  return escalated.map((e) => ({
    ...e,
    userIds: e.userIds.filter((id) => {
      const at = e.heldUntil.get(id);
      return at === undefined || at <= now;
    }),
  }));
}

/**
 * The admins a reminder escalated to ("please follow up with them") hear once that the consent they were
 * asked to chase is no longer awaited: who answered it, or that the transfer left the consent stage
 * (not given in time, cancelled, rejected by the other side) and is now in which status. Not the later
 * steps: what they were asked to follow up is settled. Not one who made the change, nor one the status
 * message of this change already reaches (the requester, a consenter). The dedupe key holds no version:
 * each is told once per role answered, and once when the consent stage ends.
 */
function followUpSettled(input: NotifyInput, statusTold: ReadonlySet<number>): OutboxEntry[] {
  const escalated = input.escalated ?? [];
  if (escalated.length === 0) return [];
  const { consent, steps } = input.decision;
  const ended = steps.some((s) => s.from === 'awaiting_consent');
  if (!consent && !ended) return [];
  const settled = new Set(input.answeredBefore ?? []);
  const told = new Set<number>(statusTold);
  if (input.actorUserId !== null) told.add(input.actorUserId);
  const entries: OutboxEntry[] = [];
  const tell = (userId: number, suffix: string, text: Msg, lines: Msg[]) => {
    if (told.has(userId)) return;
    told.add(userId);
    entries.push({
      dedupeKey: `${input.transferId}:followUp:${suffix}:${userId}`,
      recipientUserId: userId,
      payload: { type: 'message', transferId: input.transferId, text, lines },
    });
  };
  const transitions = steps.map((s) => msg('core:notify.step', { from: s.from, to: s.to }));
  if (consent) {
    const text = msg(
      consent.decision === 'approved' ? 'core:notify.followUpApproved' : 'core:notify.followUpRejected',
      {
        id: input.transferId,
        name: input.actorName ?? '',
        role: consent.role,
      },
    );
    for (const e of escalated)
      if (e.role === consent.role)
        for (const userId of e.userIds) tell(userId, consent.role, text, transitions);
  }
  if (ended) {
    const text = msg('core:notify.followUpEnded', { id: input.transferId, status: input.finalStatus });
    const lines = stepLines(input);
    for (const e of escalated)
      if (!settled.has(e.role)) for (const userId of e.userIds) tell(userId, 'end', text, lines);
  }
  return entries;
}
