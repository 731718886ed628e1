import {
  cardFor,
  consentUserId,
  decisionOpen,
  drawDecisionCard,
  isCardDecision,
  isSameCopy,
  userReads,
  type CardDecision,
  type DecisionCardView,
} from '../app/cards.js';
import type { AppDeps } from '../app/deps.js';
import { cardsDrawnWhenRead, DeliveryError, type PlatformSender } from '../app/delivery-port.js';
import { COMPLIANCE_CHANNEL } from '../app/notifications.js';
import type { Claimed, DeliveredTo, Landing, PostedCard } from '../app/ports/outbox.js';
import type { UserRow } from '../app/ports/users.js';
import { offerTurn } from '../app/reachable.js';
import { msg } from '../i18n/index.js';
import { copyReader, noReader } from './copy-reader.js';
import { landingsOf } from './landings.js';
import { offerUnreachable } from './offered.js';
import type { ParsedPayload } from './payload.js';
import { channelTargets, landingKey, userTarget, type Target } from './targets.js';

/** Who could not be reached at all: no platform knows the person, or no platform has the channel. */
export type Unreachable =
  { kind: 'user'; userId: number; name: string; email: string } | { kind: 'channel'; channel: string };

export type RouteResult =
  | { kind: 'delivered'; deliveredTo: DeliveredTo }
  | { kind: 'unreachable'; who: Unreachable }
  /** Another worker took the row over (our lease ran out): stop here, it is theirs now. */
  | { kind: 'lost' }
  /** Not yet: an earlier message must go first (see offerTurn). Tried again then; no attempt counts. */
  | { kind: 'later'; until: Date; why: string };

export interface RouteContext {
  deps: AppDeps;
  senders: readonly PlatformSender[];
  claimed: Claimed;
  payload: ParsedPayload;
  now: Date;
  /** The platform being called, so a failure is counted against it. */
  attempting?: string;
}

/**
 * Hands one outbox row to the platforms. Throws (a DeliveryError, or whatever a sender threw) when a
 * platform call fails; the worker decides whether to retry. Addresses reached on an earlier attempt
 * are skipped, so a retry after a partial failure never sends a second copy.
 */
export async function route(ctx: RouteContext): Promise<RouteResult> {
  switch (ctx.payload.type) {
    case 'message':
      return deliverMessage(ctx);
    case 'card':
      return deliverCard(ctx);
    case 'card_refresh':
      return refreshCards(ctx);
    case 'file':
      return deliverFile(ctx);
    default: {
      const never: never = ctx.payload.type;
      throw new DeliveryError(`unknown payload type ${String(never)}`, { permanent: true });
    }
  }
}

type Resolved =
  | { kind: 'targets'; targets: Target[]; userId: number | null; user?: UserRow }
  | { kind: 'unreachable'; who: Unreachable };

/** The row's recipient, or the fallback a card implies (its consenter, the compliance channel). */
async function resolveRecipient(
  ctx: RouteContext,
  fallback: { userId?: number | null; channel?: string } = {},
): Promise<Resolved> {
  const { row } = ctx.claimed;
  const userId = row.recipientUserId ?? (row.recipientChannel === null ? (fallback.userId ?? null) : null);
  if (userId !== null) {
    const user = await ctx.deps.store.users.findUser({ id: userId });
    if (!user) throw new DeliveryError(`recipient user ${userId} does not exist`, { permanent: true });
    const target = await userTarget(ctx.senders, user, ctx.deps.config.defaultTimeZone, ctx.payload.via);
    return target
      ? { kind: 'targets', targets: [target], userId, user }
      : { kind: 'unreachable', who: { kind: 'user', userId, name: user.name, email: user.email } };
  }
  const channel = row.recipientChannel ?? fallback.channel ?? null;
  if (channel === null)
    throw new DeliveryError('the row names neither a user nor a channel', { permanent: true });
  let targets = channelTargets(ctx.senders, channel, ctx.deps.config);
  // No compliance channel configured on any platform: the compliance officers get it directly instead.
  if (targets.length === 0 && channel === COMPLIANCE_CHANNEL) targets = await officerTargets(ctx);
  return targets.length > 0
    ? { kind: 'targets', targets, userId: null }
    : { kind: 'unreachable', who: { kind: 'channel', channel } };
}

async function officerTargets(ctx: RouteContext): Promise<Target[]> {
  const officers = await ctx.deps.store.users.usersWithGlobalRole('compliance');
  const targets: Target[] = [];
  for (const officer of officers) {
    const target = await userTarget(ctx.senders, officer, ctx.deps.config.defaultTimeZone);
    if (target) targets.push({ ...target, userId: officer.id });
  }
  return targets;
}

/**
 * Sends to each target not reached yet. `record` keeps each landing before the next send (it answers
 * false when the lease is lost); by default only a landing with more sends after it needs keeping, since
 * the worker writes the last one when it marks the row sent.
 */
async function sendEach(
  ctx: RouteContext,
  { targets, userId }: Extract<Resolved, { kind: 'targets' }>,
  send: (target: Target) => Promise<Record<string, string> | undefined>,
  record?: (target: Target, landings: Landing[], landing: Landing) => Promise<boolean>,
): Promise<RouteResult> {
  const perPerson = userId !== null;
  const landings = landingsOf(ctx.claimed.row);
  const done = new Set(landings.map((l) => `${l.platform}:${l.id}`));
  // A person gets one copy: if an earlier attempt reached them anywhere, even on a platform that no
  // longer answers first for them, they have it.
  const todo =
    perPerson && landings.length > 0 ? [] : targets.filter((target) => !done.has(landingKey(target)));
  for (const [i, target] of todo.entries()) {
    ctx.attempting = target.sender.platform;
    const location = await send(target);
    const landing: Landing = {
      platform: target.sender.platform,
      id: target.address.id,
      ...(location ? { location } : {}),
    };
    landings.push(landing);
    const kept = record
      ? await record(target, landings, landing)
      : i === todo.length - 1 ||
        (await ctx.deps.store.outbox.saveProgress(ctx.claimed, { deliveries: landings }));
    if (!kept) return { kind: 'lost' };
  }
  return { kind: 'delivered', deliveredTo: { deliveries: landings } };
}

async function deliverMessage(ctx: RouteContext): Promise<RouteResult> {
  const { payload } = ctx;
  if (!payload.text) throw new DeliveryError('a message needs a text', { permanent: true });
  const text = payload.text;
  // Held until its reader's working hours, about a decision taken since (or a transfer that moved on):
  // it has nothing left to ask of them, and is not sent.
  const about = payload.whileOpen;
  if (
    about !== undefined &&
    payload.transferId &&
    isCardDecision(about) &&
    !(await decisionOpen(ctx.deps, payload.transferId, about))
  )
    return { kind: 'delivered', deliveredTo: { deliveries: [] } };
  const recipient = await resolveRecipient(ctx);
  if (recipient.kind === 'unreachable') return recipient;
  return sendEach(ctx, recipient, async (target) => {
    await target.sender.sendMessage(target.address, {
      text,
      lines: payload.lines ?? [],
      ...(payload.transferId ? { transferId: payload.transferId } : {}),
    });
    return undefined;
  });
}

async function deliverFile(ctx: RouteContext): Promise<RouteResult> {
  const { file } = ctx.payload;
  if (!file) throw new DeliveryError('a file message needs a file', { permanent: true });
  const recipient = await resolveRecipient(ctx);
  if (recipient.kind === 'unreachable') return recipient;
  const title = ctx.payload.text ?? msg('delivery:file.title', { name: file.name });
  return sendEach(ctx, recipient, async (target) => {
    await target.sender.sendFile(target.address, { path: file.path, name: file.name, title });
    return undefined;
  });
}

async function loadCard(ctx: RouteContext, decision: CardDecision): Promise<DecisionCardView> {
  return (await drawCard(ctx, decision)).card;
}

/** The card drawn now, from the database, and the transfer's version it was drawn from. */
async function drawCard(
  ctx: RouteContext,
  decision: CardDecision,
): Promise<{ card: DecisionCardView; version: number }> {
  const transferId = ctx.payload.transferId;
  if (!transferId) throw new DeliveryError('a card needs a transfer', { permanent: true });
  const drawn = await drawDecisionCard(ctx.deps, transferId, decision);
  if (!drawn) throw new DeliveryError(`transfer ${transferId} does not exist`, { permanent: true });
  return drawn;
}

async function deliverCard(ctx: RouteContext): Promise<RouteResult> {
  const { decision, transferId } = ctx.payload;
  if (!isCardDecision(decision) || !transferId)
    throw new DeliveryError(`not a decision card: ${String(decision)}`, { permanent: true });
  // Drawn now, from the database: a card delivered late still shows the transfer as it stands.
  const drawn = await drawCard(ctx, decision);
  const drawnAt = drawn.version;
  if (ctx.payload.firstCopy) {
    // Asked before the person is looked up on any platform: an offer put off calls none.
    const { id: outboxId, recipientUserId: userId } = ctx.claimed.row;
    const turn = await offerTurn(
      ctx.deps.store,
      { outboxId, transferId, decision, userId, open: drawn.card.open },
      ctx.now,
    );
    if (turn.kind === 'wait')
      return { kind: 'later', until: turn.until, why: 'an earlier copy is on its way' };
    if (turn.kind === 'skip') return { kind: 'delivered', deliveredTo: { deliveries: [] } };
  }
  const recipient =
    decision === 'compliance'
      ? await resolveRecipient(ctx, { channel: COMPLIANCE_CHANNEL })
      : await resolveRecipient(ctx, { userId: await consentUserId(ctx.deps, transferId, decision) });
  if (recipient.kind === 'unreachable') return offerUnreachable(ctx, decision, recipient.who);
  // A card for one person, as they read it: without buttons if they no longer hold the role it takes.
  const reader = recipient.user ? userReads(recipient.user) : null;
  const card = cardFor(drawn.card, reader);
  // An offer no longer open to the one it is for (their role taken away since) is not posted.
  if (ctx.payload.firstCopy && !card.open) return { kind: 'delivered', deliveredTo: { deliveries: [] } };

  // The transfer's version as the last copy's row was recorded (none when no copy was posted this time).
  let recordedAt: number | null | undefined;
  const result = await sendEach(
    ctx,
    recipient,
    (target) => target.sender.sendCard(target.address, card),
    // Where the card landed and the progress, written at once: a card we posted is one a refresh will
    // find and a retry will not post again. The card row stays even if our lease was lost.
    async (target, landings, landing) => {
      const saved = await ctx.deps.store.outbox.saveCardProgress(
        ctx.claimed,
        {
          transferId,
          decision,
          platform: target.sender.platform,
          // An officer's own copy is theirs: it is redrawn in their language, and it reached them.
          recipientUserId: target.userId ?? recipient.userId,
          location: landing.location ?? {},
          postedAt: ctx.now,
        },
        { deliveries: landings },
      );
      if (saved.kept) recordedAt = saved.transferVersion;
      return saved.kept;
    },
  );
  if (result.kind !== 'delivered') return result;

  // The decision may have been taken while the card was on its way, after the refresh of the other
  // copies ran: redraw what we posted so no stale button stays clickable. Idempotent on a retry. A
  // transfer still at the version the card was drawn from, as its last copy was recorded, is as drawn:
  // no read. Otherwise the state alone tells whether it is still open; the whole card is read again only
  // when it is not.
  if (recordedAt !== drawnAt && !(await decisionOpen(ctx.deps, transferId, decision, recipient.userId))) {
    const fresh = cardFor(await loadCard(ctx, decision), reader);
    const readers = new Map(recipient.targets.map((target) => [landingKey(target), target.address.reader]));
    for (const landing of result.deliveredTo.deliveries) {
      const sender = ctx.senders.find((s) => s.platform === landing.platform);
      if (sender && landing.location) {
        ctx.attempting = sender.platform;
        const reader = readers.get(`${landing.platform}:${landing.id}`) ?? noReader(ctx.deps);
        await sender.updateCard(landing.location, fresh, reader);
      }
    }
  }
  return result;
}

/**
 * Redraws every posted copy of this transfer's decision cards. Idempotent: a retry redraws the same thing.
 * A copy on a platform this process does not serve (a Teams card, in a process that serves only Slack) is
 * left to a process that does: the others are redrawn and recorded first, then the row is retried for it,
 * and the next attempt redraws only what is left.
 */
async function refreshCards(ctx: RouteContext): Promise<RouteResult> {
  const transferId = ctx.payload.transferId;
  if (!transferId) throw new DeliveryError('a card refresh needs a transfer', { permanent: true });
  const posted = await ctx.deps.store.cards.postedFor(transferId);
  const drawn = new Map<string, DecisionCardView>();
  // The copies an earlier attempt redrew (in a process that served other platforms) are done.
  const landings = landingsOf(ctx.claimed.row);
  const done = new Set(landings.map((landing) => `${landing.platform}:${landing.id}`));
  const redrawnBefore = landings.length;
  const left: PostedCard[] = [];
  const { skip, onlyFor } = ctx.payload;
  for (const copy of posted) {
    if (!isCardDecision(copy.decision) || cardsDrawnWhenRead(copy.platform)) continue;
    if (done.has(`${copy.platform}:${copy.id}`)) continue;
    // The decider's surface redraws the copy they clicked as it answers them: once is enough.
    if (skip && isSameCopy(skip, copy)) continue;
    // Only the copies of the people whose roles changed, when the refresh is for them.
    if (onlyFor && (copy.recipientUserId === null || !onlyFor.includes(copy.recipientUserId))) continue;
    const sender = ctx.senders.find((s) => s.platform === copy.platform);
    if (!sender) {
      left.push(copy);
      continue;
    }
    ctx.attempting = copy.platform;
    let card = drawn.get(copy.decision);
    if (!card) {
      card = await loadCard(ctx, copy.decision);
      drawn.set(copy.decision, card);
    }
    const { reader, user } = await copyReader(ctx.deps, sender, copy.recipientUserId);
    // A copy posted to one person is drawn as they read it (see cardFor); the channel's, as it stands.
    await sender.updateCard(copy.location, cardFor(card, user ? userReads(user) : null), reader);
    landings.push({ platform: copy.platform, id: String(copy.id), location: copy.location });
  }
  const [first] = left;
  // Not permanent: the process that has this platform (the long-running bot) will do it.
  if (first) {
    const kept =
      landings.length === redrawnBefore ||
      (await ctx.deps.store.outbox.saveProgress(ctx.claimed, { deliveries: landings }));
    if (!kept) return { kind: 'lost' };
    ctx.attempting = first.platform;
    throw new DeliveryError(
      `no ${first.platform} sender in this process to refresh card ${left.map((copy) => copy.id).join(', ')}`,
    );
  }
  return { kind: 'delivered', deliveredTo: { deliveries: landings } };
}
