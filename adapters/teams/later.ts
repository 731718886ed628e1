import type { DurableWork, Submission } from '../../src/app/durable-work.js';
import { deferredTotal } from '../../src/app/metrics.js';
import type { WorkItem } from '../../src/app/ports/work.js';
import { sendWithRetries } from '../../src/app/send-retries.js';
import { activitySchema, referenceOf, requestKeyOf, type Activity } from './activity.js';
import { answer, somethingWentWrong, type AcceptLater } from './bot.js';
import { turnOf, type TeamsContext } from './context.js';
import { sendRetryAfter } from './errors.js';
import { replyWithoutTokenDropped, type InboundTurn, type ProactiveTurn } from './framework.js';
import { textMessage, type OutgoingMessage } from './render/reply.js';

/**
 * Typed commands in Teams are answered after the 200, from the database: the activity is recorded in
 * `work_items` before the HTTP answer goes out (src/app/durable-work.ts), then whichever instance runs it
 * answers in the conversation it came from, through the reference the activity carries. A process killed
 * after the 200 leaves it for the next one to start.
 */
export function acceptLater(ctx: TeamsContext, durable: DurableWork): AcceptLater {
  return async (activity) => {
    const outcome = await durable.submit({
      requestKey: requestKeyOf(activity),
      kind: activity.type,
      payload: activity,
    });
    if (outcome === 'replay')
      ctx.logger.info({ type: activity.type }, 'teams: an activity received again is ignored');
    else if (outcome === 'waiting')
      ctx.logger.warn('teams: a message is kept in memory until the database answers again');
    deferredTotal.inc({ surface: 'teams', outcome: outcome === 'recorded' ? 'queued' : outcome });
  };
}

/** The stored activity as it was received, or nothing when another version stored it in another shape. */
function storedActivity(ctx: TeamsContext, payload: Record<string, unknown>): Activity | undefined {
  const parsed = activitySchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  ctx.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'teams: stored activity not understood');
  return undefined;
}

/** Acts in the activity's own conversation, its messages sent as replies to it. */
function inConversation(ctx: TeamsContext, activity: Activity, fn: (t: ProactiveTurn) => Promise<void>) {
  return ctx.framework.continueConversation(referenceOf(activity), fn, {
    ...(activity.id !== undefined ? { replyTo: activity.id } : {}),
  });
}

/**
 * Sends into the conversation after the 200, when nobody waits on the HTTP answer: a send the connector
 * throttled or could not take is tried again, after its Retry-After, for up to a minute.
 */
function sendLater(ctx: TeamsContext, proactive: ProactiveTurn, message: OutgoingMessage) {
  return sendWithRetries(() => proactive.send(message), sendRetryAfter, {
    onRetry: (err, delayMs) =>
      ctx.logger.warn({ err: { message: (err as Error)?.message }, delayMs }, 'teams: answer sent again'),
  });
}

/** The activity's conversation, reached afresh, as its handlers expect to answer it. */
function asInbound(ctx: TeamsContext, activity: Activity, proactive: ProactiveTurn): InboundTurn {
  return {
    raw: activity,
    send: (message) => replyWithoutTokenDropped(ctx.logger, () => sendLater(ctx, proactive, message)),
    // Messages have no HTTP answer of their own; the 200 went out when they were recorded.
    respond: async () => undefined,
    memberEmail: (userId) => proactive.memberEmail(userId),
  };
}

/** Answers a recorded activity, on whichever instance claimed it. */
export async function runStored(ctx: TeamsContext, item: WorkItem): Promise<void> {
  const activity = storedActivity(ctx, item.payload);
  if (!activity) return;
  await inConversation(ctx, activity, async (proactive) => {
    await answer(turnOf(ctx, activity, asInbound(ctx, activity, proactive)), () => true);
  });
}

/** A message the database never took (it stayed out of reach): the person is asked to send it again. */
export async function tellLost(ctx: TeamsContext, request: Submission): Promise<void> {
  const activity = storedActivity(ctx, request.payload);
  if (!activity) return;
  await inConversation(ctx, activity, async (proactive) => {
    const turn = turnOf(ctx, activity, asInbound(ctx, activity, proactive));
    await sendLater(ctx, proactive, textMessage(somethingWentWrong(turn)));
  });
}
