import type { Reply } from '../../../src/app/dispatch.js';
import {
  buildDecisionCard,
  decisionCardOf,
  isCardDecision,
  type CardDecision,
  type CardReader,
} from '../../../src/app/cards.js';
import { discardDeliveredExport } from '../../../src/app/export-files.js';
import type { TransferView } from '../../../src/app/views.js';
import type { Refusal } from '../../../src/domain/types.js';
import { tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import { who, type SlackContext } from '../context.js';
import { uploadFile } from '../files.js';
import { BLOCK } from '../ids.js';
import { replaceOrigin, tell, type Origin } from '../interaction.js';
import type { BlockActions } from '../payloads.js';
import type { SlackWho } from '../context.js';
import { esc } from '../render/blocks.js';
import { cardMessage } from '../render/card.js';
import { transferModal } from '../render/modal.js';
import { refusalMessage, noticeMessage, type Rendered } from '../render/reply.js';
import { transferBlocks, transferText } from '../render/transfer.js';

/** The decision card a block id names (`card:consent:transferee`), if the click came from one. */
export function cardDecisionOf(blockId: string | undefined): CardDecision | undefined {
  if (!blockId?.startsWith(BLOCK.cardPrefix)) return undefined;
  const decision = blockId.slice(BLOCK.cardPrefix.length);
  return isCardDecision(decision) ? decision : undefined;
}

/** Whether the click came from the compliance channel, whose cards are read by several people. */
const inComplianceChannel = (ctx: SlackContext, origin: Origin): boolean =>
  origin.kind === 'message' && !!ctx.complianceChannel && origin.channel === ctx.complianceChannel;

/** Cards in the compliance channel are read by several people: they keep the channel's language. */
export function cardReader(ctx: SlackContext, origin: Origin, clicker: Reader): Reader {
  return inComplianceChannel(ctx, origin) ? ctx.channelReader : clicker;
}

/**
 * Redraws the card that was clicked, so its buttons go as soon as it is decided: from `view` when the
 * caller has the transfer as the decision left it, else fresh from the database. A copy posted to the
 * clicker is drawn as they read it (no buttons once they no longer hold the role it takes, see cardFor);
 * the compliance channel's, as it stands.
 */
export async function refreshCard(
  ctx: SlackContext,
  origin: Origin,
  id: string,
  decision: CardDecision,
  reader: Reader,
  view?: TransferView,
  clicker?: CardReader,
): Promise<void> {
  if (origin.kind !== 'message' || !origin.channel || !origin.ts) return;
  const whose = inComplianceChannel(ctx, origin) ? null : (clicker ?? null);
  const card = view
    ? decisionCardOf(view, decision, whose)
    : await buildDecisionCard(ctx.deps, id, decision, whose);
  if (!card) return;
  const { text, blocks } = cardMessage(card, cardReader(ctx, origin, reader));
  await ctx.client.chat.update({ channel: origin.channel, ts: origin.ts, text, blocks });
}

/**
 * Puts the transfer, as it now stands, where the click came from. A modal is usually opened from the
 * Home tab, so that page is redrawn too (`home` is given by the caller to avoid an import cycle).
 */
export async function showTransfer(
  ctx: SlackContext,
  origin: Origin,
  view: TransferView,
  reader: Reader,
  notice?: Msg,
  home?: () => Promise<void>,
  /** What the reply warns of beside its notice (a retry: the items still failing, with why). */
  warnings?: Msg[],
): Promise<void> {
  const shown: Rendered = {
    text: esc(notice ? tr(reader, notice) : transferText(view, reader)),
    blocks: transferBlocks(view, reader, { notice, warnings }),
  };
  await replaceOrigin(ctx, origin, shown, () => transferModal(view, reader, { notice, warnings }));
  if (origin.kind === 'modal' && home) {
    await home().catch((err: unknown) => ctx.log.warn({ err }, 'Home tab not redrawn'));
  }
}

/**
 * Who clicked. Someone the bot cannot identify is told why, where they clicked, and the click goes no
 * further. `fast` skips the Slack round trip, for clicks that must open a modal with their trigger_id.
 */
export async function clicker(
  ctx: SlackContext,
  p: Pick<BlockActions, 'user' | 'trigger_id'>,
  origin: Origin,
  fast = false,
): Promise<SlackWho | undefined> {
  const person = await who(ctx, p.user.id, fast);
  if (person.ok) return person.value;
  await tellRefusal(ctx, origin, p.user.id, p.trigger_id, person.refusal, person.reader);
  return undefined;
}

export function tellRefusal(
  ctx: SlackContext,
  origin: Origin,
  userId: string,
  triggerId: string | undefined,
  refusal: Refusal,
  reader: Reader,
): Promise<void> {
  return tell(ctx, origin, userId, triggerId, refusalMessage(refusal, reader), reader);
}

export function tellNotice(
  ctx: SlackContext,
  origin: Origin,
  userId: string,
  triggerId: string | undefined,
  notice: Msg,
  reader: Reader,
): Promise<void> {
  return tell(ctx, origin, userId, triggerId, noticeMessage(notice, reader), reader);
}

/** An export: the file goes to the person's direct messages, with the notice as its comment. */
export async function sendExport(
  ctx: SlackContext,
  person: SlackWho,
  reply: Extract<Reply, { kind: 'file' }>,
): Promise<void> {
  const text = tr(person.reader, reply.notice);
  await uploadFile(ctx.client, person.slackUserId, { path: reply.path, name: reply.name }, reply.name, text);
  // Slack holds it now; a copy whose upload failed is left for the scheduled sweep.
  await discardDeliveredExport(ctx.deps, reply.path);
}
