import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import { tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import {
  inputProblemMessage,
  requestProblem,
  type FoundInputProblem,
} from '../../../src/text/input-check.js';
import { knownReader, STORED_READER_WAIT_MS, type SlackContext } from '../context.js';
import { originOf } from '../interaction.js';
import { blockActionsSchema, imMessageSchema } from '../payloads.js';
import { noticeModal } from '../render/modal.js';
import { tellNotice } from './shared.js';
import { fieldsOf, userOf, type Fields, type MiddlewareArgs } from './middleware-args.js';

/**
 * The parts of a request a person typed or picked: a slash command's text, a typeahead's search, the
 * values of inputs and buttons, a direct message's text. The rest of a payload is Slack's own (ids,
 * names, our own blocks echoed back): never refused for its length, only for a character no database
 * can store, as the request is recorded whole.
 */
function typedParts(args: MiddlewareArgs): Fields {
  const body = fieldsOf(args.body);
  const view = fieldsOf(body['view']);
  // Only an event can be a direct message: every other request is spared a failed parse.
  const message = args.event === undefined ? undefined : imMessageSchema.safeParse(args.event);
  return {
    text: body['text'],
    value: body['value'],
    actions: body['actions'],
    values: fieldsOf(view['state'])['values'],
    state: fieldsOf(body['state'])['values'],
    message: message?.success ? message.data.text : undefined,
  };
}

/**
 * Refuses, before any listener runs, a request holding a character the bot cannot take (NUL, a lone
 * surrogate, a noncharacter) anywhere, or whose typed text is longer than any message
 * (`requestProblem`): the person is told what was wrong, in their language, where they typed it, and
 * nothing is written to the database; only their language may be read, by their Slack id (`knownReader`).
 */
export function refuseUnsafeText(ctx: SlackContext): Middleware<AnyMiddlewareArgs> {
  return async (middlewareArgs) => {
    const args = middlewareArgs as unknown as MiddlewareArgs;
    const found = requestProblem(args.body, typedParts(args));
    if (!found) {
      await args.next();
      return;
    }
    const userId = userOf(args);
    ctx.log.warn(
      { problem: found.problem, path: found.path.join('.'), userId },
      'Slack: unsafe text refused',
    );
    if (args.options !== undefined) {
      // A typeahead has no room for a message: no options is the answer.
      await args.ack?.({ options: [] });
      return;
    }
    // The ack cannot wait for Slack to tell the person's language: the one known (as last identified,
    // else stored for their Slack id, read briefly), else Slack's as cached, else English.
    const reader = await knownReader(ctx, userId, { waitMs: STORED_READER_WAIT_MS.ack });
    await answer(ctx, args, found, inputProblemMessage(found.problem), reader, userId);
  };
}

async function answer(
  ctx: SlackContext,
  args: MiddlewareArgs,
  found: FoundInputProblem,
  message: Msg,
  reader: Reader,
  userId: string,
): Promise<void> {
  const ack = args.ack ?? (async () => undefined);
  const text = tr(reader, message);
  if (args.command !== undefined) {
    await ack({ response_type: 'ephemeral', text });
    return;
  }
  if (args.view !== undefined) {
    // Said under the field at fault (`values.<block>.<action>`), else over the modal.
    const [part, block] = found.path;
    if (fieldsOf(args.body)['type'] !== 'view_submission') await ack();
    else if (part === 'values' && typeof block === 'string')
      await ack({ response_action: 'errors', errors: { [block]: text } });
    else await ack({ response_action: 'push', view: noticeModal(message, reader) });
    return;
  }
  if (args.action !== undefined) {
    await ack();
    const click = blockActionsSchema.safeParse(args.body);
    if (click.success)
      await tellNotice(ctx, originOf(click.data), userId, click.data.trigger_id, message, reader);
    return;
  }
  const typed = imMessageSchema.safeParse(args.event);
  if (typed.success) await ctx.client.chat.postMessage({ channel: typed.data.channel, text });
}
