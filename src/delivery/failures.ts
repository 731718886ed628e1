import type { AppDeps } from '../app/deps.js';
import type { Claimed } from '../app/ports/outbox.js';
import type { Repositories } from '../app/ports/store.js';
import { SYSTEM_ACTOR, type DeliveredKind } from '../app/history-text.js';
import { noticeOfferKey } from '../app/reachable.js';
import { msg, type Msg } from '../i18n/index.js';
import type { ParsedPayload } from './payload.js';
import type { Unreachable } from './route.js';

export type GiveUpReason =
  | { kind: 'unreachable'; who: Unreachable }
  | { kind: 'failed'; error: string; attempts: number; permanent: boolean };

/**
 * Gives a message up, where people will see it: the row turns `dead`, the transfer's history says so
 * (View Transaction shows it), and the requester hears who was not reached — unless the requester is the
 * one nobody can reach. A message about no transfer that someone asked for (a role change's notice) is
 * reported to them instead (see reportToRequester). A card or message offered on first contact gives its
 * offer's claim back. One transaction, compare-and-set on the lease: false when another worker owns the
 * row now.
 */
export async function giveUp(
  deps: AppDeps,
  claimed: Claimed,
  payload: ParsedPayload | undefined,
  reason: GiveUpReason,
  now: Date,
): Promise<boolean> {
  const { row } = claimed;
  const attempts = reason.kind === 'failed' ? reason.attempts : row.attempts;
  const error = reason.kind === 'unreachable' ? 'unreachable' : reason.error;
  return deps.store.transaction(async (repos) => {
    if (!(await repos.outbox.markDead(claimed, attempts, error))) return false;
    // A card offered as its decider became reachable, and yet not delivered: offered again at their next contact.
    if (payload?.offerKey) await repos.reminders.release(payload.offerKey);
    const transferId = payload?.transferId;
    if (!transferId) {
      if (payload?.requester)
        await reportToRequester(repos, claimed, payload, payload.requester, reason, now);
      return true;
    }
    const recipient = await describeRecipient(repos, row.recipientUserId, row.recipientChannel, reason);
    const kind = deliveredKind(payload);
    await repos.transfers.appendHistory([
      {
        transferId,
        at: now,
        actor: SYSTEM_ACTOR,
        surface: 'system',
        action: reason.kind === 'unreachable' ? 'delivery.unreachable' : 'delivery.failed',
        reason:
          reason.kind === 'unreachable'
            ? `unreachable: ${recipient}`
            : `${recipient ?? 'card copies'}: ${error}`,
        details: {
          outboxId: row.id,
          type: payload.type,
          // Which message it was, so two steps about the same person say what each one lost.
          ...(kind ? { what: kind } : {}),
          // None for the copies of a decision card: the step then says so in the reader's language.
          ...(recipient === null ? {} : { recipient }),
          attempts,
          ...(payload.decision ? { decision: payload.decision } : {}),
        },
      },
    ]);
    const transfer = await repos.transfers.loadRow(transferId);
    if (!transfer || row.recipientUserId === transfer.requesterId) return true;
    await repos.outbox.enqueue(now, [
      {
        // Someone nobody can reach misses every message of a change (its status message, a card): the
        // requester hears it once per transfer version, not once per message; the history lists each.
        dedupeKey:
          reason.kind === 'unreachable'
            ? `${transferId}:v${transfer.version}:unreachable:${unreachableKey(reason.who)}`
            : `outbox:${row.id}:undelivered`,
        recipientUserId: transfer.requesterId,
        payload: {
          type: 'message',
          transferId,
          text: noticeFor(reason, transferId, recipient),
          lines: whatWasLost(payload),
        },
      },
    ]);
    return true;
  });
}

/**
 * A message about no transfer that did not arrive, told to whoever asked for it, on the surface they asked
 * on, once per message (however often it is offered again): who was not reached, and what they did not get.
 * One nobody could reach stays given up as `unreachable`, and waits for its recipient's first contact
 * (see offerWhatWaited), as the report says.
 */
async function reportToRequester(
  repos: Repositories,
  { row }: Claimed,
  payload: ParsedPayload,
  requester: { userId: number; surface: string },
  reason: GiveUpReason,
  now: Date,
): Promise<void> {
  if (row.recipientUserId === requester.userId || !payload.text) return;
  let text: Msg;
  if (reason.kind === 'unreachable') {
    if (reason.who.kind !== 'user') return;
    text = msg('delivery:unreachable.later', { name: reason.who.name, email: reason.who.email });
  } else {
    const recipient = await describeRecipient(repos, row.recipientUserId, row.recipientChannel, reason);
    text = msg('delivery:failedNotice', { recipient: recipient ?? '', count: reason.attempts });
  }
  await repos.outbox.enqueue(now, [
    {
      dedupeKey: `${payload.offerKey ?? noticeOfferKey(row.id)}:told`,
      recipientUserId: requester.userId,
      payload: {
        type: 'message',
        text,
        lines: [msg('delivery:lost.message'), payload.text, ...(payload.lines ?? [])],
        via: requester.surface,
      },
    },
  ]);
}

/**
 * Who the message was for, as people read it in the history and in the requester's notice; null for a
 * refresh of a decision card's copies, which has no one recipient.
 */
async function describeRecipient(
  repos: Repositories,
  userId: number | null,
  channel: string | null,
  reason: GiveUpReason,
): Promise<string | null> {
  if (reason.kind === 'unreachable') {
    return reason.who.kind === 'user' ? `${reason.who.name} <${reason.who.email}>` : `#${reason.who.channel}`;
  }
  if (userId !== null) {
    const user = await repos.users.findUser({ id: userId });
    return user ? `${user.name} <${user.email}>` : `user ${userId}`;
  }
  return channel !== null ? `#${channel}` : null;
}

function noticeFor(reason: GiveUpReason, id: string, recipient: string | null): Msg {
  if (reason.kind === 'unreachable') {
    return reason.who.kind === 'user'
      ? msg('delivery:unreachable.user', { id, name: reason.who.name, email: reason.who.email })
      : msg('delivery:unreachable.channel', { id, channel: reason.who.channel });
  }
  return recipient === null
    ? msg('delivery:cardsNotUpdated', { id, count: reason.attempts })
    : msg('delivery:failed', { id, recipient, count: reason.attempts });
}

function unreachableKey(who: Unreachable): string {
  return who.kind === 'user' ? `user:${who.userId}` : `channel:${who.channel}`;
}

/** What a message is, as the history names it: a status message, a reminder, a card, a file. */
function deliveredKind(payload: ParsedPayload): DeliveredKind | null {
  switch (payload.type) {
    case 'message': {
      const key = payload.text?.key ?? '';
      if (key === 'core:notify.statusChanged') return 'status';
      return key.startsWith('reminders:') ? 'reminder' : 'message';
    }
    case 'card':
      return payload.decision === 'compliance' ? 'complianceCard' : 'consentCard';
    case 'card_refresh':
      return null;
    case 'file':
      return 'file';
  }
}

/** What did not arrive: the message itself, or which card or file. */
function whatWasLost(payload: ParsedPayload): Msg[] {
  switch (payload.type) {
    case 'message':
      return payload.text ? [msg('delivery:lost.message'), payload.text, ...(payload.lines ?? [])] : [];
    case 'card':
      return [
        msg(payload.decision === 'compliance' ? 'delivery:lost.complianceCard' : 'delivery:lost.consentCard'),
      ];
    case 'card_refresh':
      // The notice itself says which cards were not updated.
      return [];
    case 'file':
      return [msg('delivery:lost.file', { name: payload.file?.name ?? '' })];
  }
}
