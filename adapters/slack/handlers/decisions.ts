import type { BlockAction, types, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { mayReject } from '../../../src/app/actions.js';
import { actorReads, isCardCopyFor, type CardDecision, type CardReader } from '../../../src/app/cards.js';
import { dispatch, type Reply } from '../../../src/app/dispatch.js';
import type { CardCopy } from '../../../src/app/ports/outbox.js';
import { parseTransactionId } from '../../../src/commands/transaction-id.js';
import { isOutOfDate, type Actor } from '../../../src/domain/types.js';
import { notFound } from '../../../src/app/run.js';
import { msg, tr, type Reader } from '../../../src/i18n/index.js';
import { who, type SlackContext } from '../context.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { mayRespondTo, openModal, originOf, type Origin } from '../interaction.js';
import { blockActionsSchema, stateOf, viewSubmissionSchema } from '../payloads.js';
import { context, esc, plain, section } from '../render/blocks.js';
import { modal, noticeModal, transferModal } from '../render/modal.js';
import { refusalMessage } from '../render/reply.js';
import { t } from '../render/reader-text.js';
import { guarded } from './guard.js';
import { publishHome } from './home.js';
import {
  cardDecisionOf,
  clicker as identifyClicker,
  refreshCard,
  showTransfer,
  tellRefusal,
} from './shared.js';
import type { SlackRoutes } from '../routes.js';
import { MAX_TEXT_LENGTH } from '../../../src/domain/decide.js';

type Kind = 'consent' | 'screen';

const originSchema: z.ZodType<Origin> = z.union([
  z.object({
    kind: z.literal('message'),
    channel: z.string(),
    ts: z.string(),
    ephemeral: z.boolean(),
    responseUrl: z.string().optional(),
  }),
  z.object({ kind: z.literal('modal'), viewId: z.string() }),
  z.object({ kind: z.literal('home') }),
]);

/** The core's refusals of the reason itself: said on the modal's field, which stays open. */
const REASON_REFUSALS = ['core:refusal.reasonRequired', 'core:refusal.tooLong'];

/** What the reject_reason modal carries between the click and the submission. */
const rejectMetaSchema = z.object({
  id: z.string(),
  kind: z.enum(['consent', 'screen']),
  card: z.string().optional(),
  origin: originSchema,
});

/** The modal's own metadata as the click left it; undefined when what came back is not ours. */
function rejectMetaOf(raw: string | undefined): z.infer<typeof rejectMetaSchema> | undefined {
  try {
    const meta = rejectMetaSchema.safeParse(JSON.parse(raw ?? ''));
    return meta.success ? meta.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The posted card a decision was taken on, which showDecision redraws in place: the core's refresh of
 * every copy then leaves it alone, so the card is updated once. Undefined for a click elsewhere.
 */
function redrawnCard(card: CardDecision | undefined, origin: Origin): CardCopy | undefined {
  if (!card || origin.kind !== 'message' || origin.ephemeral || !origin.channel || !origin.ts)
    return undefined;
  return { platform: 'slack', location: { channel: origin.channel, ts: origin.ts } };
}

/**
 * Where the answer to a reject taken in the reason modal goes, of the place its metadata says the click
 * came from: handed back by Slack, the metadata is checked, not trusted. A card only when it is this
 * transfer's card as posted to the person (or to the compliance channel); an ephemeral reply through
 * its response_url, when that is Slack's; a modal or the Home tab as they are. Undefined for any other
 * message (nothing tells a reply from another message): the answer then goes in the modal itself.
 */
async function answeredWhere(
  ctx: SlackContext,
  actor: Actor,
  meta: z.infer<typeof rejectMetaSchema>,
  card: CardDecision | undefined,
): Promise<Origin | undefined> {
  const origin = meta.origin;
  if (origin.kind !== 'message') return origin;
  if (!card) {
    const replied = origin.ephemeral ? origin.responseUrl : undefined;
    return replied && mayRespondTo(replied, ctx.client.slackApiUrl) ? origin : undefined;
  }
  const copy = redrawnCard(card, origin);
  return copy && (await isCardCopyFor(ctx.deps, actor, meta.id, card, copy)) ? origin : undefined;
}

/** The reject's answer drawn in the reason modal, which it replaces. */
function answerModal(reply: Reply, reader: Reader): types.ModalView | undefined {
  if (reply.kind === 'transfer') return transferModal(reply.view, reader, { notice: reply.notice });
  if (reply.kind === 'done') return noticeModal(reply.message, reader);
  if (reply.kind !== 'refused') return undefined;
  const shown = refusalMessage(reply.refusal, reader);
  const view = noticeModal(shown.text, reader);
  view.blocks = shown.blocks;
  return view;
}

function rejectModal(reader: Reader, meta: z.infer<typeof rejectMetaSchema>) {
  const compliance = meta.kind === 'screen';
  return modal({
    title: t(reader, 'slack:reject.title'),
    callbackId: CALLBACK.rejectReason,
    metadata: JSON.stringify(meta),
    submit: t(reader, 'common:button.reject'),
    close: t(reader, 'common:button.cancel'),
    blocks: [
      section(
        esc(
          t(reader, compliance ? 'slack:reject.complianceIntro' : 'slack:reject.consentIntro', {
            id: meta.id,
          }),
        ),
      ),
      {
        type: 'input',
        block_id: BLOCK.reason,
        // A compliance reject always needs its reason; the core says so, the modal shows it on the field.
        optional: !compliance,
        label: plain(t(reader, 'common:field.reason')),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.reason,
          multiline: true,
          max_length: MAX_TEXT_LENGTH,
          placeholder: plain(t(reader, 'common:placeholder.reason'), 150),
        },
      },
      context([esc(t(reader, compliance ? 'slack:reject.complianceHint' : 'slack:reject.consentHint'))]),
    ],
  });
}

/** A decision as it was asked for: on which transfer and card, by whom, from where. */
interface Asked {
  id: string;
  card: CardDecision | undefined;
  origin: Origin;
  reader: Reader;
  /** Who clicked, as the reader of the card they clicked (see cardFor). */
  clicker: CardReader;
  userId: string;
  triggerId: string | undefined;
}

/**
 * What the decider sees once the core has answered: a refusal (and the card redrawn when it was out of
 * date), else the card redrawn without its buttons, or the transfer as it now stands.
 */
async function showDecision(ctx: SlackContext, asked: Asked, reply: Reply): Promise<void> {
  if (reply.kind === 'refused') {
    await tellRefusal(ctx, asked.origin, asked.userId, asked.triggerId, reply.refusal, asked.reader);
    // A card the transfer has moved past, or whose role the clicker lost, is redrawn as it stands for them.
    if (asked.card && isOutOfDate(reply.refusal))
      await refreshCard(ctx, asked.origin, asked.id, asked.card, asked.reader, undefined, asked.clicker);
    return;
  }
  // The reply's view is the transfer as the decision left it: the card is drawn from it, not read again.
  if (asked.card) {
    const view = reply.kind === 'transfer' ? reply.view : undefined;
    await refreshCard(ctx, asked.origin, asked.id, asked.card, asked.reader, view, asked.clicker);
  } else if (reply.kind === 'transfer')
    await showTransfer(ctx, asked.origin, reply.view, asked.reader, reply.notice, () =>
      publishHome(ctx, asked.userId),
    );
}

export function registerDecisions(app: SlackRoutes, ctx: SlackContext): void {
  app.action<BlockAction>(
    /^(consent|compliance)_(approve|reject)$/,
    guarded(ctx, async ({ ack, body }, progress) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      const action = p.actions[0]!;
      const origin = originOf(p);
      const kind: Kind = action.action_id.startsWith('consent') ? 'consent' : 'screen';
      const approve =
        action.action_id === ACTION.consentApprove || action.action_id === ACTION.complianceApprove;
      const card = cardDecisionOf(action.block_id);
      // Rejecting opens a modal with the trigger_id: identify from the database only, no Slack round trip first.
      const person = await identifyClicker(ctx, p, origin, !approve);
      if (!person) return;
      const reader = person.reader;
      const id = parseTransactionId(action.value ?? '');
      if (!id) {
        const refusal = notFound(action.value ?? '');
        await tellRefusal(ctx, origin, p.user.id, p.trigger_id, refusal, reader);
        return;
      }
      const clicker = actorReads(person.actor);
      const asked = { id, card, origin, reader, clicker, userId: p.user.id, triggerId: p.trigger_id };

      if (!approve) {
        // Ask for the reason only of someone who may reject now.
        const may = await mayReject(ctx.deps, person.actor, id, kind, redrawnCard(card, origin));
        if (!may.ok) {
          await showDecision(ctx, asked, { kind: 'refused', refusal: may.refusal });
          return;
        }
        if (!p.trigger_id) return;
        await openModal(
          ctx,
          origin,
          p.trigger_id,
          rejectModal(reader, { id, kind, ...(card ? { card } : {}), origin }),
        );
        return;
      }

      const reply = await dispatch(
        ctx.deps,
        person.actor,
        { type: kind, transactionId: id, decision: 'approve' },
        { redrawn: redrawnCard(card, origin), onCard: card !== undefined, changed: progress.mark },
      );
      await showDecision(ctx, asked, reply);
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.rejectReason,
    guarded(ctx, async ({ ack, body }, progress) => {
      const p = viewSubmissionSchema.parse(body);
      const meta = rejectMetaOf(p.view.private_metadata);
      const reason = stateOf(p.view, BLOCK.reason, ACTION.reason)?.value?.trim() ?? '';
      const person = await who(ctx, p.user.id, true);
      if (!person.ok) {
        await ack({
          response_action: 'errors',
          errors: { [BLOCK.reason]: tr(person.reader, person.refusal.message) },
        });
        return;
      }
      const reader = person.value.reader;
      if (!meta) {
        await ack({
          response_action: 'errors',
          errors: { [BLOCK.reason]: tr(reader, msg('input:error.formUnreadable')) },
        });
        return;
      }
      const actor = person.value.actor;
      const card = meta.card ? cardDecisionOf(`${BLOCK.cardPrefix}${meta.card}`) : undefined;
      const origin = await answeredWhere(ctx, actor, meta, card);
      const onCard = origin !== undefined && card !== undefined;
      const decided = await dispatch(
        ctx.deps,
        actor,
        { type: meta.kind, transactionId: meta.id, decision: 'reject', ...(reason ? { reason } : {}) },
        {
          redrawn: origin ? redrawnCard(card, origin) : undefined,
          onCard,
          changed: progress.mark,
        },
      );
      // A second submission (the modal sent twice, or again from a stale view) changed nothing: the modal
      // closes, so the person is told why, who decided and the status now, as a stale click is answered.
      const reply: Reply =
        decided.kind === 'transfer' && decided.repeated
          ? { kind: 'refused', refusal: decided.repeated }
          : decided;
      // The core refuses a reason it cannot take (none on a compliance reject, one too long): say it on
      // the field, keep the modal open.
      if (reply.kind === 'refused' && REASON_REFUSALS.includes(reply.refusal.message.key)) {
        await ack({
          response_action: 'errors',
          errors: { [BLOCK.reason]: tr(reader, reply.refusal.message) },
        });
        return;
      }
      if (!origin) {
        const view = answerModal(reply, reader);
        await ack(view ? { response_action: 'update', view } : undefined);
        return;
      }
      await ack();
      await showDecision(
        ctx,
        {
          id: meta.id,
          card,
          origin,
          reader,
          clicker: actorReads(actor),
          userId: p.user.id,
          triggerId: p.trigger_id,
        },
        reply,
      );
    }),
  );
}
