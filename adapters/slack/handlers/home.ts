import type { BlockAction } from '@slack/bolt';
import { dispatch } from '../../../src/app/dispatch.js';
import { currentSmartAccount, listAccounts, listTransferRows } from '../../../src/app/queries.js';
import type { Msg } from '../../../src/i18n/index.js';
import { who, type SlackContext } from '../context.js';
import { ACTION } from '../ids.js';
import { blockActionsSchema, homeOpenedSchema } from '../payloads.js';
import { homeView } from '../render/home.js';
import { guarded } from './guard.js';
import type { SlackRoutes } from '../routes.js';

/**
 * Draws the Home tab for one person: the current Smart Account (their `use`, else the first they
 * administer), its transactions, and what they may do. Everything is read for them, now.
 */
export async function publishHome(ctx: SlackContext, slackUserId: string, notice?: Msg): Promise<void> {
  const person = await who(ctx, slackUserId);
  if (!person.ok) {
    const view = homeView(
      { accounts: [], current: undefined, rows: [], blocked: person.refusal.message },
      person.reader,
    );
    await ctx.client.views.publish({ user_id: slackUserId, view });
    return;
  }
  const { actor } = person.value;
  const [accounts, chosen] = await Promise.all([
    listAccounts(ctx.deps, actor, undefined, { limit: 100 }),
    currentSmartAccount(ctx.deps, actor),
  ]);
  // The switcher always shows one account: the one chosen with `use`, else the first administered.
  const current = accounts.find((a) => a.domain === chosen) ?? accounts[0];
  const rows = await listTransferRows(ctx.deps, actor, { smartAccount: current?.domain, limit: 41 });
  const view = homeView(
    { accounts, current, rows: rows.ok ? rows.value : [], notice: rows.ok ? notice : rows.refusal.message },
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
      const reply = await dispatch(ctx.deps, person.value.actor, { type: 'use', smartAccount: domain });
      if (reply.kind !== 'refused') progress.changed();
      await publishHome(ctx, p.user.id, reply.kind === 'refused' ? reply.refusal.message : undefined);
    }),
  );
}
