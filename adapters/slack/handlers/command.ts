import type { BlockAction, SlackShortcut } from '@slack/bolt';
import { dispatch, type Reply } from '../../../src/app/dispatch.js';
import { failureMessage, trackChanges, type ChangeTracker } from '../../../src/app/failure.js';
import { deferredTotal } from '../../../src/app/metrics.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { tr, translate, type Locale, type Reader } from '../../../src/i18n/index.js';
import { knownReader, STORED_READER_WAIT_MS, who, type SlackContext, type SlackWho } from '../context.js';
import { decodeSlackText } from '../decode.js';
import { ACTION, CALLBACK } from '../ids.js';
import { respondTo } from '../interaction.js';
import { blockActionsSchema, imMessageSchema, shortcutSchema, slashSchema } from '../payloads.js';
import { draftOfferModal, noticeModal } from '../render/modal.js';
import {
  draftOfferMessage,
  noticeMessage,
  openWizardMessage,
  refusalMessage,
  renderReply,
  type Rendered,
} from '../render/reply.js';
import { openWizard } from '../wizard/handlers.js';
import {
  chooseDraft,
  buttonOpening,
  REPLACED_MESSAGE,
  requestOpening,
} from '../../../src/app/journey/in-progress.js';
import { startDraft } from '../../../src/app/journey/drafts.js';
import { guarded, slackTyped, withSupport } from './guard.js';
import { sendExport } from './shared.js';
import type { SlackRoutes } from '../routes.js';

/** A typed line's answer as Block Kit; an export is uploaded first, then announced. */
async function answer(ctx: SlackContext, person: SlackWho, reply: Reply): Promise<Rendered> {
  const reader = person.reader;
  if (reply.kind === 'file') {
    await sendExport(ctx, person, reply);
    return noticeMessage(reply.notice, reader);
  }
  if (reply.kind === 'wizard') {
    // No trigger_id here (a direct message): what was typed goes into a draft, opened by a button.
    const draft = await startDraft(ctx.deps, person.actor, reply.state);
    return openWizardMessage(draft.id, reader, reply.replaces);
  }
  return renderReply(reply, reader);
}

async function run(
  ctx: SlackContext,
  person: SlackWho,
  text: string,
  changes: ChangeTracker,
): Promise<Rendered> {
  const parsed = parseCommand(decodeSlackText(text));
  if (!parsed.ok) return noticeMessage(parsed.error, person.reader);
  return answer(
    ctx,
    person,
    await dispatch(ctx.deps, person.actor, parsed.command, {
      reader: person.reader,
      changed: changes.mark,
    }),
  );
}

/** What a typed command that failed on our side is answered, by what it had changed, with whom to ask. */
const failed = (ctx: SlackContext, changes: ChangeTracker, reader: Reader): Rendered =>
  noticeMessage(withSupport(ctx, failureMessage(changes.changed, slackTyped), reader), reader);

/**
 * "Busy, try again", said in the ack itself — the one answer a flood gets, so it is translated once per
 * language, in the language the person was last identified in by this process (no database read), else
 * the one stored for them (read briefly: the ack cannot wait), else Slack's as cached.
 */
const busyTexts = new Map<Locale, string>();
export async function busyText(ctx: SlackContext, slackUserId: string): Promise<string> {
  const { locale } = await knownReader(ctx, slackUserId, { waitMs: STORED_READER_WAIT_MS.ack });
  let text = busyTexts.get(locale);
  if (text === undefined) {
    text = translate(locale, 'slack:error.busy');
    busyTexts.set(locale, text);
  }
  return text;
}

export function registerCommands(app: SlackRoutes, ctx: SlackContext): void {
  app.command('/transfer', async ({ ack, body }) => {
    const c = slashSchema.parse(body);
    const parsed = parseCommand(decodeSlackText(c.text));
    const wantsWizard = parsed.ok && parsed.command.type === 'new' && !parsed.command.complete;
    // Slack waits three seconds for this answer: everything else comes after, through response_url
    // (when the queue has room: a full queue is told "busy" before this runs, see intake.ts).
    await ack();
    const reply = (shown: Rendered) =>
      respondTo(
        c.response_url,
        { response_type: 'ephemeral', text: shown.text, blocks: shown.blocks },
        { slackApiUrl: ctx.client.slackApiUrl },
      );
    // Whatever fails is told in the person's language: as identified, else as stored or Slack says (read
    // only then: the work of a command that does not fail reads nothing more for it).
    let identified: Reader | undefined;
    const readerNow = async () => identified ?? (await knownReader(ctx, c.user_id, { askSlack: true }));
    const changes = trackChanges();
    const work = async () => {
      const person = await who(ctx, c.user_id, wantsWizard);
      identified = person.ok ? person.value.reader : person.reader;
      if (!person.ok) {
        await reply(refusalMessage(person.refusal, identified));
        return;
      }
      if (parsed.ok && parsed.command.type === 'new' && !parsed.command.complete) {
        const opening = await requestOpening(ctx.deps, person.value.actor, parsed.command.prefill);
        if (!opening.ok) await reply(refusalMessage(opening.refusal, identified));
        else if (opening.value.kind === 'offer') {
          // No modal after all: there is time to ask Slack for the person's zone (the offer's time is in it)
          // when none is stored yet.
          const full = await who(ctx, c.user_id);
          await reply(draftOfferMessage(opening.value.offer, full.ok ? full.value.reader : identified));
        } else {
          const { state, replaces } = opening.value;
          await openWizard(
            ctx,
            c.trigger_id,
            person.value,
            { state },
            replaces ? REPLACED_MESSAGE : undefined,
          );
        }
        return;
      }
      await reply(await run(ctx, person.value, c.text, changes));
    };
    const guarded = async () => {
      try {
        await work();
      } catch (err) {
        ctx.log.error({ err }, 'slash command failed');
        await reply(failed(ctx, changes, await readerNow())).catch(() => undefined);
      }
    };
    if (!wantsWizard) deferredTotal.inc({ surface: 'slack', outcome: 'queued' });
    await guarded();
  });

  // The same commands typed in the bot's Messages tab.
  app.event('message', async ({ event }) => {
    const m = imMessageSchema.safeParse(event);
    if (!m.success) return;
    const post = (shown: Rendered) =>
      ctx.client.chat.postMessage({ channel: m.data.channel, text: shown.text, blocks: shown.blocks });
    let shown: Rendered;
    let identified: Reader | undefined;
    const changes = trackChanges();
    try {
      const person = await who(ctx, m.data.user);
      identified = person.ok ? person.value.reader : person.reader;
      shown = person.ok
        ? await run(ctx, person.value, m.data.text, changes)
        : refusalMessage(person.refusal, identified);
    } catch (err) {
      // Said in their language: nothing changed, or (when the failure came after the change) it is done.
      ctx.log.error({ err: (err as Error).message }, 'typed command failed');
      shown = failed(ctx, changes, identified ?? (await knownReader(ctx, m.data.user, { askSlack: true })));
    }
    await post(shown);
  });

  /** Opens the wizard on the draft a button names when it is still there, else on a new one that says so. */
  const open = async (userId: string, triggerId: string, draftId?: string) => {
    const person = await who(ctx, userId, true);
    if (!person.ok) {
      await ctx.client.views.open({
        trigger_id: triggerId,
        view: noticeModal(tr(person.reader, person.refusal.message), person.reader),
      });
      return;
    }
    // Nothing named (the shortcut, the Home tab's button), or a draft that is gone: a request in progress
    // is offered first, never replaced unsaid.
    const opening = await buttonOpening(ctx.deps, person.value.actor, draftId);
    if (opening.kind === 'offer') {
      await ctx.client.views.open({
        trigger_id: triggerId,
        view: draftOfferModal(opening.offer, person.value.reader, opening.gone),
      });
      return;
    }
    await openWizard(ctx, triggerId, person.value, { draft: opening.draft }, opening.gone);
  };

  // The offer of a request in progress: Continue opens it where it was, Start over on an empty one; a
  // button whose draft is gone (sent, expired, replaced, or someone else's) opens only why.
  app.action<BlockAction>(
    new RegExp(`^(${ACTION.draftContinue}|${ACTION.draftStartOver})$`),
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      if (!p.trigger_id) return;
      const action = p.actions[0]!;
      const person = await who(ctx, p.user.id, true);
      if (!person.ok) {
        await ctx.client.views.open({
          trigger_id: p.trigger_id,
          view: noticeModal(tr(person.reader, person.refusal.message), person.reader),
        });
        return;
      }
      // Clicked in the offer's modal (the shortcut, the Home tab's button): that modal becomes the answer.
      const viewId = p.container?.type === 'view' ? p.container.view_id : undefined;
      const choice = action.action_id === ACTION.draftContinue ? 'continue' : 'startOver';
      const chosen = await chooseDraft(
        ctx.deps,
        person.value.actor,
        (action.value ?? '').slice(0, 64),
        choice,
      );
      if (!chosen.ok) {
        const reader = person.value.reader;
        const gone = noticeModal(tr(reader, chosen.gone), reader);
        if (viewId !== undefined) {
          await ctx.client.views.update({ view_id: viewId, view: gone });
          return;
        }
        await ctx.client.views.open({ trigger_id: p.trigger_id, view: gone });
        return;
      }
      await openWizard(ctx, p.trigger_id, person.value, { draft: chosen.draft }, undefined, viewId);
    }),
  );

  app.shortcut<SlackShortcut>(
    CALLBACK.requestShortcut,
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const shortcut = shortcutSchema.parse(body);
      await open(shortcut.user.id, shortcut.trigger_id);
    }),
  );

  app.action<BlockAction>(
    new RegExp(`^(${ACTION.openWizard}|${ACTION.homeRequest})$`),
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      const p = blockActionsSchema.parse(body);
      if (!p.trigger_id) return;
      const action = p.actions[0]!;
      const draftId = action.action_id === ACTION.openWizard ? action.value?.slice(0, 64) : undefined;
      await open(p.user.id, p.trigger_id, draftId);
    }),
  );
}
