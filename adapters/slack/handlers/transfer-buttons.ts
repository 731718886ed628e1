import type { BlockAction } from '@slack/bolt';
import { viewableState } from '../../../src/app/actions.js';
import { dispatch } from '../../../src/app/dispatch.js';
import { loadTransferView } from '../../../src/app/load-view.js';
import type { Command } from '../../../src/commands/command.js';
import { parseTransactionId } from '../../../src/commands/transaction-id.js';
import { isOutOfDate } from '../../../src/domain/types.js';
import { who, type SlackContext } from '../context.js';
import { ACTION } from '../ids.js';
import { openModal, originOf } from '../interaction.js';
import { blockActionsSchema } from '../payloads.js';
import { noticeModal, transferModal } from '../render/modal.js';
import { guarded } from './guard.js';
import { publishHome } from './home.js';
import { clicker, sendExport, showTransfer, tellNotice, tellRefusal } from './shared.js';
import type { SlackRoutes } from '../routes.js';

const CHANGES: Record<string, 'submit' | 'cancel' | 'retry'> = {
  [ACTION.submit]: 'submit',
  [ACTION.cancel]: 'cancel',
  [ACTION.retry]: 'retry',
};

/**
 * The buttons under a transfer (a reply, a modal, a status message): Submit for Transfer, Cancel,
 * Retry, Download and View. Each click is a command from the clicker, checked by the core like a typed one.
 */
export function registerTransferButtons(app: SlackRoutes, ctx: SlackContext): void {
  app.action<BlockAction>(
    /^transfer_(submit|cancel|retry)$/,
    guarded(ctx, async ({ ack, body }, progress) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      const action = p.actions[0]!;
      const origin = originOf(p);
      const person = await clicker(ctx, p, origin);
      if (!person) return;
      const reader = person.reader;
      const id = parseTransactionId(action.value ?? '') ?? '';
      const type = CHANGES[action.action_id]!;
      const command: Command = { type, transactionId: id };
      const reply = await dispatch(ctx.deps, person.actor, command, { changed: progress.mark });
      if (reply.kind === 'refused') {
        // A button the transfer has moved past: the message or modal is drawn as the transfer is now,
        // saying why, so its stale buttons go.
        const now = isOutOfDate(reply.refusal)
          ? await loadTransferView(ctx.deps, id, person.actor)
          : undefined;
        if (now) await showTransfer(ctx, origin, now, reader, reply.refusal.message);
        else await tellRefusal(ctx, origin, p.user.id, p.trigger_id, reply.refusal, reader);
        return;
      }
      if (reply.kind === 'transfer')
        await showTransfer(
          ctx,
          origin,
          reply.view,
          reader,
          reply.notice,
          () => publishHome(ctx, p.user.id),
          reply.warnings,
        );
      else if (reply.kind === 'done')
        await tellNotice(ctx, origin, p.user.id, p.trigger_id, reply.message, reader);
    }),
  );

  // View: the whole transfer in a modal, opened at once with the trigger_id.
  app.action<BlockAction>(
    new RegExp(`^(${ACTION.view}|${ACTION.homeView}|${ACTION.homeConsent})$`),
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      if (!p.trigger_id) return;
      const origin = originOf(p);
      const person = await who(ctx, p.user.id, true);
      if (!person.ok) {
        await ctx.client.views.open({
          trigger_id: p.trigger_id,
          view: noticeModal(person.refusal.message, person.reader),
        });
        return;
      }
      const reader = person.value.reader;
      const id = parseTransactionId(p.actions[0]!.value ?? '') ?? p.actions[0]!.value ?? '';
      const state = await viewableState(ctx.deps, person.value.actor, id);
      const view = state.ok ? await loadTransferView(ctx.deps, id, person.value.actor) : undefined;
      const shown = view
        ? transferModal(view, reader)
        : noticeModal(
            state.ok ? { key: 'core:refusal.notFound', params: { id } } : state.refusal.message,
            reader,
          );
      await openModal(ctx, origin, p.trigger_id, shown);
    }),
  );

  // Download: the Excel file of one transaction, uploaded to the clicker's direct messages.
  app.action<BlockAction>(
    new RegExp(`^(${ACTION.download}|${ACTION.homeDownload})$`),
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      const origin = originOf(p);
      const person = await clicker(ctx, p, origin);
      if (!person) return;
      const reader = person.reader;
      const id = parseTransactionId(p.actions[0]!.value ?? '') ?? '';
      const reply = await dispatch(
        ctx.deps,
        person.actor,
        { type: 'export', target: { kind: 'transaction', transactionId: id } },
        { reader: person.reader },
      );
      if (reply.kind === 'refused') {
        await tellRefusal(ctx, origin, p.user.id, p.trigger_id, reply.refusal, reader);
        return;
      }
      if (reply.kind !== 'file') return;
      await sendExport(ctx, person, reply);
      // Where the click came from a message, say where the file went; elsewhere the direct message says it.
      if (origin.kind === 'message')
        await tellNotice(ctx, origin, p.user.id, p.trigger_id, reply.notice, reader);
    }),
  );
}
