import { randomUUID } from 'node:crypto';
import { copyPostedTo, isCardDecision, type CardDecision } from './cards.js';
import { SYSTEM_ACTOR } from './history-text.js';
import type { NewHistory } from './ports/transfers.js';
import type { OutboxEntry } from './ports/outbox.js';
import type { Repositories } from './ports/store.js';
import type { IdentityPlatform, UserRow } from './ports/users.js';

/** A decision card waiting for one person, and the key that offers it to them once. */
interface Waiting {
  transferId: string;
  decision: CardDecision;
  claimKey: string;
}

/**
 * The decisions still waiting for this person whose card never reached them: each open consent they are
 * asked for, and for a compliance officer each open screening whose card reached neither the compliance
 * channel nor them. A card posted to them on any platform counts: a person gets one copy.
 */
async function waitingFor(repos: Repositories, user: UserRow): Promise<Waiting[]> {
  const unposted = await repos.cards.unpostedFor(user.id, user.globalRoles.includes('compliance'));
  return unposted.flatMap(({ transferId, decision, consentId }) =>
    isCardDecision(decision)
      ? [
          {
            transferId,
            decision,
            claimKey:
              consentId === null
                ? `reachable:compliance:${transferId}:${user.id}`
                : `reachable:consent:${consentId}`,
          },
        ]
      : [],
  );
}

/** The key that offers a message given up for want of a way to reach its recipient (its row) once. */
export function noticeOfferKey(outboxId: number): string {
  return `reachable:notice:${outboxId}`;
}

/**
 * The messages about no transfer that someone asked for (a role given or taken away) and that nobody could
 * reach this person with, offered again, each once, in a message of its own that keeps who asked for it.
 */
async function offerWaitingNotices(repos: Repositories, user: UserRow, now: Date): Promise<OutboxEntry[]> {
  const entries: OutboxEntry[] = [];
  for (const notice of await repos.outbox.unreachedNotices(user.id)) {
    const offerKey = noticeOfferKey(notice.id);
    if (!(await repos.reminders.claim(offerKey, now, 'first-contact'))) continue;
    entries.push({
      dedupeKey: `${offerKey}:${randomUUID()}`,
      recipientUserId: user.id,
      payload: { ...notice.payload, offerKey },
    });
  }
  return entries;
}

/**
 * Why waiting cards are offered: a platform can reach the person now (every card), or they have just
 * become a compliance officer (the screenings alone).
 */
export type OfferOccasion = 'reachable' | 'officer';

/**
 * A platform can reach this person now, where it could not before (a Teams chat stored for the first
 * time, a chat id newly linked): every card still waiting for them is queued for them, once (claimed by
 * its key, so a second instance or a repeated first contact queues nothing), and the history says so;
 * every message about a role that could not reach them is queued too, before the cards. Something offered that then cannot
 * be delivered to them gives its claim back (see giveUp): their next contact offers it again, in a
 * message of its own; a card that reached them meanwhile is not posted again (see offerTurn).
 * With `officer`, the screenings alone, waiting for a new compliance officer, claimed the same way.
 * Run in the caller's transaction. Answers how many cards and messages were queued.
 */
export async function offerWhatWaited(
  repos: Repositories,
  user: UserRow,
  now: Date,
  occasion: OfferOccasion = 'reachable',
): Promise<number> {
  const entries = occasion === 'officer' ? [] : await offerWaitingNotices(repos, user, now);
  const steps: NewHistory[] = [];
  for (const item of await waitingFor(repos, user)) {
    if (occasion === 'officer' && item.decision !== 'compliance') continue;
    if (!(await repos.reminders.claim(item.claimKey, now, 'first-contact'))) continue;
    entries.push({
      // One message per offer (the claim makes it once): an offer made again after one that failed is its own.
      dedupeKey: `${item.claimKey}:${randomUUID()}`,
      recipientUserId: user.id,
      // Posted only if still open and not already posted to them when its turn comes.
      payload: {
        type: 'card',
        transferId: item.transferId,
        decision: item.decision,
        firstCopy: true,
        offerKey: item.claimKey,
      },
    });
    steps.push({
      transferId: item.transferId,
      at: now,
      actor: SYSTEM_ACTOR,
      surface: 'system',
      action: occasion === 'officer' ? 'delivery.officer' : 'delivery.reachable',
      details: {
        recipient: `${user.name} <${user.email}>`,
        decision: item.decision,
        what: item.decision === 'compliance' ? 'complianceCard' : 'consentCard',
      },
    });
  }
  if (entries.length === 0) return 0;
  await repos.outbox.enqueue(now, entries);
  if (steps.length > 0) await repos.transfers.appendHistory(steps);
  return entries.length;
}

/** As `offerWhatWaited`, for the person a platform knows by this id (nobody when it is not linked yet). */
export async function reachableOn(
  repos: Repositories,
  identity: { platform: IdentityPlatform; externalId: string },
  now: Date,
): Promise<number> {
  const user = await repos.users.findUser({ identity });
  return user ? offerWhatWaited(repos, user, now) : 0;
}

/** What a card offered on first contact does when its turn comes. */
export type OfferTurn = { kind: 'post' } | { kind: 'skip' } | { kind: 'wait'; until: Date };

/** How soon an offered card looks again at a copy that was still on its way to its decider. */
export const OFFER_RECHECK_MS = 2_000;

/**
 * A card offered to someone who became reachable goes out only while its decision is open and no copy
 * reached them. A copy of that decision still on its way to them — the very card whose delivery made them
 * reachable (their chat opened, their Slack id found, to post it), or the compliance card every officer
 * gets — is waited for, as long as it is on its way: the offer then goes out only if it did not reach them.
 * So a person gets one copy, whichever worker takes which message first.
 */
export async function offerTurn(
  repos: Pick<Repositories, 'cards' | 'outbox'>,
  offer: {
    outboxId: number;
    transferId: string;
    decision: CardDecision;
    /** Whom it is offered to (none: a row that names nobody, which is no offer). */
    userId: number | null;
    open: boolean;
  },
  now: Date,
): Promise<OfferTurn> {
  const { userId } = offer;
  if (!offer.open || userId === null) return { kind: 'skip' };
  const posted = await repos.cards.postedFor(offer.transferId);
  if (copyPostedTo(posted, offer.decision, userId)) return { kind: 'skip' };
  const earlier = await repos.outbox.cardOnItsWay(offer.transferId, offer.decision, userId, offer.outboxId);
  if (!earlier) return { kind: 'post' };
  // One being delivered now is looked at again shortly; one waiting for its retry, when that comes.
  const soon = now.getTime() + OFFER_RECHECK_MS;
  return { kind: 'wait', until: new Date(earlier.held ? soon : Math.max(soon, earlier.dueAt.getTime())) };
}
