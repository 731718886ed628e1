import type { BlockAction } from '@slack/bolt';
import { dispatch } from '../../../src/app/dispatch.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { ACTION } from '../ids.js';
import { originOf, replaceOrigin } from '../interaction.js';
import { blockActionsSchema } from '../payloads.js';
import { noticeModal } from '../render/modal.js';
import { renderReply } from '../render/reply.js';
import type { SlackRoutes } from '../routes.js';
import type { SlackContext } from '../context.js';
import { guarded } from './guard.js';
import { clicker } from './shared.js';

/**
 * Newer / Older under a list of transactions: the button carries the page's `list` command, which is
 * parsed and run for the clicker like a typed one (so the clicker's own scope applies), and the page
 * replaces the one clicked.
 */
export function registerListPages(app: SlackRoutes, ctx: SlackContext): void {
  app.action<BlockAction>(
    new RegExp(`^${ACTION.listPage}_(newer|older)$`),
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      const origin = originOf(p);
      const person = await clicker(ctx, p, origin);
      if (!person) return;
      const parsed = parseCommand(p.actions[0]!.value ?? '');
      if (!parsed.ok || parsed.command.type !== 'list') return;
      const reply = await dispatch(ctx.deps, person.actor, parsed.command);
      const shown = renderReply(reply, person.reader);
      await replaceOrigin(ctx, origin, shown, () => noticeModal(shown.text, person.reader));
    }),
  );
}
