import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Msg } from '../../../src/i18n/index.js';
import { refusalLog } from '../../http/refusal-log.js';
import type { SlackContext } from '../context.js';
import { originOf, respondTo } from '../interaction.js';
import { blockActionsSchema, homeOpenedSchema, imMessageSchema, shortcutSchema } from '../payloads.js';
import { noticeModal } from '../render/modal.js';
import { noticeMessage } from '../render/reply.js';
import { workspaceRefusal, type Workspace } from '../workspaces.js';
import { LOCALE_WAIT_MS, readerOf } from './guard.js';
import { fileShareSchema } from './reference-file.js';
import { tellNotice } from './shared.js';
import { fieldsOf, userOf, type MiddlewareArgs } from './middleware-args.js';

const NOT_SERVED: Msg = { key: 'slack:error.otherWorkspace' };

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The person's workspace, given the team Slack names for the person (if it does) and the workspace the
 * request came through: the organisation of the latter is theirs only when the team is the same.
 */
function personIn(team: string | undefined, through: Workspace): Workspace {
  if (team === undefined || team === through.team) return through;
  return { team };
}

/**
 * Where each kind of request names the workspace of the person it comes from: a slash command its
 * `team_id` and `enterprise_id`; a click, a modal, a typeahead or a shortcut the person's own
 * `user.team_id` (an organisation's id for a person of an Enterprise Grid), beside the `team` it was
 * done in; a message its author's `user_team` or `team`. An event that names no author's team is
 * judged by the workspace it was delivered for.
 */
export function homeOf(body: unknown, event: unknown): Workspace {
  const fields = fieldsOf(body);
  if (event !== undefined) {
    const e = fieldsOf(event);
    const author = idOf(e['user_team']) ?? idOf(e['team']) ?? idOf(fieldsOf(e['user'])['team_id']);
    return personIn(author, { team: idOf(fields['team_id']), enterprise: idOf(fields['enterprise_id']) });
  }
  if (typeof fields['command'] === 'string')
    return personIn(idOf(fields['user_team']), {
      team: idOf(fields['team_id']),
      enterprise: idOf(fields['enterprise_id']),
    });
  const team = fieldsOf(fields['team']);
  return personIn(idOf(fieldsOf(fields['user'])['team_id']), {
    team: idOf(team['id']),
    enterprise: idOf(team['enterprise_id']) ?? idOf(fieldsOf(fields['enterprise'])['id']),
  });
}

/**
 * Refuses, before any listener runs, a request from a person of a workspace the bot does not serve
 * (`served`, see servedWorkspaces): it is acknowledged and the person told, in their language, that the
 * bot serves its own workspace only. Nobody is identified or linked, and nothing is written.
 */
export function refuseOtherWorkspaces(
  ctx: SlackContext,
  served: readonly string[],
): Middleware<AnyMiddlewareArgs> {
  // Each outsider's workspace is warned of once every ten minutes: a busy shared channel refuses every click.
  const warned = refusalLog(ctx.log, 'Slack: a person of a workspace not served refused');
  return async (middlewareArgs) => {
    const args = middlewareArgs as unknown as MiddlewareArgs;
    const home = homeOf(args.body, args.event);
    const refused = workspaceRefusal(home, served);
    if (!refused) {
      await args.next();
      return;
    }
    const userId = userOf(args);
    warned(`${refused}:${home.team ?? ''}:${home.enterprise ?? ''}`, {
      refused,
      team: home.team,
      enterprise: home.enterprise,
      userId,
    });
    await answer(ctx, args, userId).catch((err: unknown) =>
      ctx.log.warn(
        { err: { message: (err as Error)?.message } },
        'Slack: could not tell a person of another workspace',
      ),
    );
  };
}

async function answer(ctx: SlackContext, args: MiddlewareArgs, userId: string): Promise<void> {
  const ack = args.ack ?? (async () => undefined);
  const body = fieldsOf(args.body);
  if (args.command !== undefined) {
    await ack();
    const reader = await readerOf(ctx, userId);
    const shown = noticeMessage(NOT_SERVED, reader);
    const responseUrl = idOf(body['response_url']);
    if (responseUrl)
      await respondTo(
        responseUrl,
        { response_type: 'ephemeral', text: shown.text, blocks: shown.blocks },
        { slackApiUrl: ctx.client.slackApiUrl },
      );
    return;
  }
  if (args.options !== undefined) {
    // A typeahead has no room for a message: no options is the answer.
    await ack({ options: [] });
    return;
  }
  if (args.view !== undefined) {
    if (body['type'] !== 'view_submission') {
      await ack();
      return;
    }
    const reader = await readerOf(ctx, userId, LOCALE_WAIT_MS);
    await ack({ response_action: 'push', view: noticeModal(NOT_SERVED, reader) });
    return;
  }
  if (args.action !== undefined || args.shortcut !== undefined) {
    await ack();
    // A trigger_id lasts three seconds: the language is waited for a moment only.
    const reader = await readerOf(ctx, userId, LOCALE_WAIT_MS);
    const click = blockActionsSchema.safeParse(args.body);
    if (click.success) {
      await tellNotice(ctx, originOf(click.data), userId, click.data.trigger_id, NOT_SERVED, reader);
      return;
    }
    const shortcut = shortcutSchema.safeParse(args.body);
    if (shortcut.success)
      await ctx.client.views.open({
        trigger_id: shortcut.data.trigger_id,
        view: noticeModal(NOT_SERVED, reader),
      });
    return;
  }
  // Bolt has acknowledged the event already. A direct message to the bot is answered there, and the
  // Home tab shows the notice instead of the person's transfers.
  const typed = imMessageSchema.safeParse(args.event);
  const shared = typed.success ? undefined : fileShareSchema.safeParse(args.event);
  const channel = typed.success ? typed.data.channel : shared?.success ? shared.data.channel : undefined;
  const home = homeOpenedSchema.safeParse(args.event);
  if (channel === undefined && !(home.success && (home.data.tab ?? 'home') === 'home')) return;
  const shown = noticeMessage(NOT_SERVED, await readerOf(ctx, userId));
  if (channel !== undefined)
    await ctx.client.chat.postMessage({ channel, text: shown.text, blocks: shown.blocks });
  else await ctx.client.views.publish({ user_id: userId, view: { type: 'home', blocks: shown.blocks } });
}
