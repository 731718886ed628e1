import { z } from 'zod';
import { failureMessage, trackChanges, type ChangeTracker } from '../../../src/app/failure.js';
import { supportFooter } from '../../../src/app/guides.js';
import { tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import { knownReader, slackReader, type SlackContext } from '../context.js';
import { openModal, respondTo, type Origin } from '../interaction.js';
import { noticeModal } from '../render/modal.js';
import { noticeMessage } from '../render/reply.js';

/** A command as a person types it in Slack. */
export const slackTyped = (command: string) => `/transfer ${command}`;

type Ack = (response?: unknown) => Promise<void>;

/** The few parts of any interaction payload needed to answer a failure; everything else is ignored. */
const failedSchema = z.object({
  type: z.string(),
  user: z.object({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  response_url: z.string().url().optional(),
  container: z.object({ channel_id: z.string().optional() }).optional(),
  channel: z.object({ id: z.string() }).optional(),
  view: z.object({ id: z.string(), type: z.string() }).optional(),
});
type Failed = z.infer<typeof failedSchema>;

/**
 * How long an answer that cannot wait (a modal submission not yet answered, a modal opened with a
 * trigger_id) may wait for the person's language: Slack waits three seconds.
 */
export const LOCALE_WAIT_MS = 500;

/**
 * Wraps a button, modal or options listener: when it throws (the database is down, a bug), the person
 * who clicked is told, in their language, instead of seeing nothing or Slack's own error. The error
 * is then thrown on, so `app.error` still logs it and the request counts as failed.
 *
 * - A click: an ephemeral message through the payload's response_url, else in the channel, else a
 *   small modal (a click in a modal or the Home tab), else a direct message.
 * - A modal submission not yet answered: a modal pushed on top, so the form and what was typed stay
 *   underneath. Already answered: the modal is replaced by the message, or a direct message when it closed.
 * - A typeahead: an empty list (Slack has no way to show a message there).
 */
export function guarded<A extends { ack: unknown; body: unknown }>(
  ctx: SlackContext,
  // `progress.mark` is passed to `dispatch` as `changed`: a failure after the change is told as done.
  listener: (args: A, progress: ChangeTracker) => Promise<void>,
): (args: A) => Promise<void> {
  return async (args) => {
    const ack = args.ack as Ack;
    let answered: { response: unknown } | undefined;
    const changes = trackChanges();
    const tracked = (async (response?: unknown) => {
      await ack(response);
      answered = { response };
    }) as A['ack'];
    try {
      await listener({ ...args, ack: tracked }, changes);
    } catch (err) {
      // A payload not of the shape Slack sends (its parts parsed with zod) is no failure of ours: the
      // person is told the form cannot be read, and the log has a warning, not an error.
      const unreadable = err instanceof z.ZodError;
      const told: Told = unreadable
        ? { message: { key: 'input:error.formUnreadable' }, support: false }
        : { message: failureMessage(changes.changed, slackTyped), support: true };
      await tellFailure(ctx, args.body, ack, answered, told).catch((e: unknown) =>
        ctx.log.warn({ err: { message: (e as Error)?.message } }, 'Slack: could not tell about a failure'),
      );
      if (!unreadable) throw err;
      ctx.log.warn({ issues: err.issues.slice(0, 3) }, 'Slack: a payload not of the shape Slack sends');
    }
  };
}

/** A failure on the bot's side, with where to get help if it keeps happening. */
export function withSupport(ctx: SlackContext, message: Msg, reader: Reader): Msg {
  return {
    key: 'common:format.lines',
    params: {
      first: tr(reader, message),
      second: supportFooter(reader.locale, ctx.deps.config.supportContact),
    },
  };
}

/**
 * How the person reads, as `knownReader` says (as last identified, else as stored, else as Slack says,
 * asked when not cached), for at most `waitMs` when given: then as far as Slack has said.
 */
export async function readerOf(ctx: SlackContext, userId: string, waitMs?: number): Promise<Reader> {
  if (waitMs === undefined) return knownReader(ctx, userId, { askSlack: true });
  return Promise.race([
    knownReader(ctx, userId, { askSlack: true, waitMs }),
    new Promise<Reader>((resolve) =>
      setTimeout(() => resolve(slackReader(ctx, ctx.people.cached(userId) ?? {})), waitMs).unref(),
    ),
  ]);
}

/** Tries each way of reaching the person in turn, until one works. */
async function firstThatWorks(ctx: SlackContext, ways: (() => Promise<unknown>)[]): Promise<void> {
  let last: unknown;
  for (const way of ways) {
    try {
      await way();
      return;
    } catch (err) {
      last = err;
      ctx.log.debug(
        { err: { message: (err as Error)?.message } },
        'Slack: failure notice not delivered, next way',
      );
    }
  }
  throw last instanceof Error ? last : new Error('no way to reach the person');
}

/** What the person is told, and whether where to get help follows (a failure on the bot's side). */
interface Told {
  message: Msg;
  support: boolean;
}

async function tellFailure(
  ctx: SlackContext,
  body: unknown,
  ack: Ack,
  answered: { response: unknown } | undefined,
  told: Told,
): Promise<void> {
  const parsed = failedSchema.safeParse(body);
  if (!parsed.success) {
    if (!answered) await ack();
    return;
  }
  const p = parsed.data;
  const { message } = told;
  const framed = (reader: Reader): Msg => (told.support ? withSupport(ctx, message, reader) : message);

  if (p.type === 'block_suggestion') {
    if (!answered) await ack({ options: [] });
    return;
  }

  if (p.type === 'view_submission' && p.view) {
    const reader = await readerOf(ctx, p.user.id, answered ? undefined : LOCALE_WAIT_MS);
    const notice = noticeModal(framed(reader), reader);
    const viewId = p.view.id;
    // Answered with a new view (update, push, errors): the modal is still open and can show the message.
    const action = (answered?.response as { response_action?: string } | undefined)?.response_action;
    const open = answered !== undefined && action !== undefined && action !== 'clear';
    await firstThatWorks(ctx, [
      ...(!answered ? [() => ack({ response_action: 'push', view: notice })] : []),
      ...(open ? [() => ctx.client.views.update({ view_id: viewId, view: notice })] : []),
      () => directMessage(ctx, p, framed(reader), reader),
    ]);
    return;
  }

  // A click (block_actions), a shortcut: Slack has its ack already, or gets it now.
  if (!answered) await ack().catch(() => undefined);
  const reader = await readerOf(ctx, p.user.id);
  const shown = noticeMessage(framed(reader), reader);
  const channel = p.container?.channel_id ?? p.channel?.id;
  const origin: Origin | undefined = p.view
    ? p.view.type === 'home'
      ? { kind: 'home' }
      : { kind: 'modal', viewId: p.view.id }
    : undefined;
  const responseUrl = p.response_url;
  const triggerId = p.trigger_id;
  await firstThatWorks(ctx, [
    ...(responseUrl
      ? [
          () =>
            respondTo(
              responseUrl,
              {
                response_type: 'ephemeral',
                replace_original: false,
                text: shown.text,
                blocks: shown.blocks,
              },
              { slackApiUrl: ctx.client.slackApiUrl },
            ),
        ]
      : []),
    ...(channel
      ? [
          () =>
            ctx.client.chat.postEphemeral({
              channel,
              user: p.user.id,
              text: shown.text,
              blocks: shown.blocks,
            }),
        ]
      : []),
    ...(origin && triggerId
      ? [() => openModal(ctx, origin, triggerId, noticeModal(framed(reader), reader))]
      : []),
    () => directMessage(ctx, p, framed(reader), reader),
  ]);
}

async function directMessage(ctx: SlackContext, failed: Failed, message: Msg, reader: Reader): Promise<void> {
  const shown = noticeMessage(message, reader);
  await ctx.client.chat.postMessage({ channel: failed.user.id, text: shown.text, blocks: shown.blocks });
}
