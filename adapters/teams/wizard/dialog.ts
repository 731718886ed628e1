import { z } from 'zod';
import { buttonOpening, chooseDraft, type DraftChoice } from '../../../src/app/journey/in-progress.js';
import type { Actor } from '../../../src/domain/types.js';
import { renderDraftOffer } from '../render/wizard-entry.js';
import { textsOf, whoIsSpeaking, type Turn } from '../context.js';
import { attachment, type AdaptiveCard } from '../render/card.js';
import { refusalText, renderReply } from '../render/reply.js';
import type { Texts } from '../render/texts.js';
import { openDialog, wizardClick } from './flow.js';
import { cardDataSchema, emptyCard, wizardSubmitSchema, type CardData } from './state.js';

/** The answer to `task/fetch` and `task/submit`: the dialog's next card, or a closing message. */
export type TaskResponse =
  | {
      task: {
        type: 'continue';
        value: { title: string; width: 'large'; height: 'large'; card: ReturnType<typeof attachment> };
      };
    }
  | { task: { type: 'message'; value: string } };

const dialog = (texts: Texts, card: AdaptiveCard): TaskResponse => ({
  task: {
    type: 'continue',
    value: {
      title: texts.t('common:button.requestTransfer'),
      width: 'large',
      height: 'large',
      card: attachment(card),
    },
  },
});

const closing = (text: string): TaskResponse => ({ task: { type: 'message', value: text } });

const fetchSchema = z
  .object({
    data: z
      .object({
        wizard: cardDataSchema.optional(),
        /** The offer of a request in progress: which of its buttons. */
        choice: z.enum(['continue', 'startOver']).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
const submitSchema = z.object({ data: wizardSubmitSchema }).loose();
/** A button of the offer of a request in progress, drawn in the dialog. */
const choiceSchema = z
  .object({
    data: z.object({ wizard: cardDataSchema, choice: z.enum(['continue', 'startOver']) }).loose(),
  })
  .loose();

/** `task/fetch`: "Request Asset Transfer" was clicked; the dialog opens at its first step, prefilled. */
export async function openWizard(turn: Turn): Promise<TaskResponse> {
  const who = await whoIsSpeaking(turn);
  const texts = textsOf(turn, who.ok ? who.value : null);
  if (!who.ok) return closing(refusalText(who.refusal, texts));
  const parsed = fetchSchema.safeParse(turn.activity.value);
  const data = (parsed.success ? parsed.data.data?.wizard : undefined) ?? emptyCard();
  const choice = parsed.success ? parsed.data.data?.choice : undefined;
  if (choice !== undefined) return chosen(turn, who.value.actor, texts, data, choice);
  // A button that names no draft (the list's Request Asset Transfer), or one whose draft is gone: a request
  // in progress is offered first, never replaced unsaid.
  const opening = await buttonOpening(turn.ctx.deps, who.value.actor, data.draft);
  if (opening.kind === 'offer')
    return dialog(texts, renderDraftOffer(texts, opening.offer, true, opening.gone));
  return dialog(texts, await openDialog(turn.ctx.deps, who.value.actor, texts, data));
}

/**
 * Continue or Start over, from the offer of a request in progress, checked against the database: a draft
 * sent, expired, replaced or someone else's opens nothing and says it is gone.
 */
async function chosen(
  turn: Turn,
  actor: Actor,
  texts: Texts,
  data: CardData,
  choice: DraftChoice,
): Promise<TaskResponse> {
  const picked = await chooseDraft(turn.ctx.deps, actor, data.draft ?? '', choice);
  if (!picked.ok) return closing(texts.msg(picked.gone));
  const opened = { ...data, draft: picked.draft.id };
  return dialog(texts, await openDialog(turn.ctx.deps, actor, texts, opened));
}

/**
 * `task/submit`: a button in the dialog. The card's answers go to the journey in the draft, and the step
 * it asks next is drawn; the review asks the core for the request and, once created, posts the transfer
 * card in the chat so the requester can check it and "Submit for Transfer".
 */
export async function stepWizard(turn: Turn): Promise<TaskResponse> {
  const who = await whoIsSpeaking(turn);
  const texts = textsOf(turn, who.ok ? who.value : null);
  if (!who.ok) return closing(refusalText(who.refusal, texts));
  const offered = choiceSchema.safeParse(turn.activity.value);
  if (offered.success)
    return chosen(turn, who.value.actor, texts, offered.data.data.wizard, offered.data.data.choice);
  const parsed = submitSchema.safeParse(turn.activity.value);
  // A dialog card that is not one of ours (forged, or from an older version): no transaction to look up.
  if (!parsed.success) return closing(texts.t('input:error.formUnreadable'));
  const outcome = await wizardClick(
    turn.ctx.deps,
    who.value.actor,
    texts,
    parsed.data.data,
    turn.changes.mark,
  );
  if (outcome.kind === 'card') return dialog(texts, outcome.card);
  await turn.io.send(renderReply(outcome.reply, texts, who.value.actor.userId));
  return closing(outcome.reply.notice ? texts.msg(outcome.reply.notice) : texts.t('teams:wizard.done'));
}
