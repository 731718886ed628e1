import type { BlockAction } from '@slack/bolt';
import { dispatch } from '../../../src/app/dispatch.js';
import { pageCommands } from '../../../src/app/landing-page.js';
import { landingAccounts, transferPage } from '../../../src/app/queries.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import type { Msg } from '../../../src/i18n/index.js';
import { who, type SlackContext } from '../context.js';
import { ACTION } from '../ids.js';
import { blockActionsSchema, homeOpenedSchema } from '../payloads.js';
import { homeView } from '../render/home.js';
import { guarded } from './guard.js';
import type { SlackRoutes } from '../routes.js';

/**
 * Draws the Home tab for one person: the current Smart Account (their `use`, else the first they
 * administer, as the core decides), its transactions, and what they may do. Everything is read for them, now.
 */
export async function publishHome(
  ctx: SlackContext,
  slackUserId: string,
  notice?: Msg,
  page: { before?: string; after?: string } = {},
): Promise<void> {
  const person = await who(ctx, slackUserId);
  if (!person.ok) {
    const view = homeView(
      {
        accounts: [],
        current: undefined,
        seesEveryTransaction: false,
        mayRequest: false,
        rows: [],
        blocked: person.refusal.message,
      },
      person.reader,
    );
    await ctx.client.views.publish({ user_id: slackUserId, view });
    return;
  }
  const { actor } = person.value;
  // Slack's static_select takes at most 100 options; the core keeps the current account among them.
  const landing = await landingAccounts(ctx.deps, actor, 100);
  const { current } = landing;
  const listed = await transferPage(ctx.deps, actor, { smartAccount: current?.domain, ...page });
  const pages = listed.ok
    ? pageCommands({
        kind: 'transfers',
        ...(current ? { smartAccount: current.domain } : {}),
        ...listed.value,
      })
    : {};
  const view = homeView(
    {
      ...landing,
      rows: listed.ok ? listed.value.rows : [],
      pages,
      notice: listed.ok ? notice : listed.refusal.message,
    },
    person.value.reader,
  );
  await ctx.client.views.publish({ user_id: slackUserId, view });
}

export function registerHome(app: SlackRoutes, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event }) => {
    const e = homeOpenedSchema.safeParse(event);
    if (!e.success || (e.data.tab !== undefined && e.data.tab !== 'home')) return;
    await publishHome(ctx, e.data.user);
  });

  // Newer / Older: the button carries the page's `list` command; the tab is drawn again at that page.
  app.action<BlockAction>(
    new RegExp(`^${ACTION.homePage}_(newer|older)$`),
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      const parsed = parseCommand(p.actions[0]!.value ?? '');
      const command = parsed.ok && parsed.command.type === 'list' ? parsed.command : undefined;
      await publishHome(ctx, p.user.id, undefined, {
        ...(command?.before ? { before: command.before } : {}),
        ...(command?.after ? { after: command.after } : {}),
      });
    }),
  );

  // The Smart Account switcher: `use SA`, then the page again.
  app.action<BlockAction>(
    ACTION.homeSwitch,
    guarded(ctx, async ({ ack, body }, progress) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      const domain = p.actions[0]!.selected_option?.value;
      const person = await who(ctx, p.user.id);
      if (!person.ok || !domain) {
        await publishHome(ctx, p.user.id);
        return;
      }
      const reply = await dispatch(
        ctx.deps,
        person.value.actor,
        { type: 'use', smartAccount: domain },
        { changed: progress.mark },
      );
      await publishHome(ctx, p.user.id, reply.kind === 'refused' ? reply.refusal.message : undefined);
    }),
  );
}
