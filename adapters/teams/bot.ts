import { failureMessage } from '../../src/app/failure.js';
import { supportFooter } from '../../src/app/guides.js';
import { z } from 'zod';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import { startDraft } from '../../src/app/journey/drafts.js';
import { REPLACED_MESSAGE } from '../../src/app/journey/in-progress.js';
import { fileRequestLine } from '../../src/app/reference-file-request.js';
import { measured } from '../../src/app/metrics.js';
import { landingAccounts } from '../../src/app/queries.js';
import { parseCommand } from '../../src/commands/grammar.js';
import type { Actor } from '../../src/domain/types.js';
import { inputProblemMessage, requestProblem, type InputProblem } from '../../src/text/input-check.js';
import { answeredAfterAck } from '../../src/app/durable-work.js';
import {
  activitySchema,
  answerRouteOf,
  commandText,
  isPersonal,
  referenceOf,
  requestKeyOf,
  submittedCommandSchema,
  type Activity,
} from './activity.js';
import { handleCardAction, messageResponse } from './card-actions.js';
import { answerReferenceFile, attachedFile } from './reference-file.js';
import { textsOf, turnOf, whoIsSpeaking, type TeamsContext, type Turn } from './context.js';
import { onFileConsent, sendFile } from './exports.js';
import type { InboundTurn } from './framework.js';
import { SWITCHER_ACCOUNTS } from './render/list-cards.js';
import { accountWord } from './render/quote.js';
import { cardMessage, refusalText, renderReply, textMessage } from './render/reply.js';
import { renderWizardEntry } from './render/wizard-entry.js';
import { answerWhereItBelongs, type Send } from './reply-routing.js';
import type { Texts } from './render/texts.js';
import { openWizard, stepWizard } from './wizard/dialog.js';
import { entryCard } from './wizard/state.js';

/**
 * Records an activity answered after its ack (see `answerRouteOf`), for this instance or another to
 * answer through the conversation's reference (later.ts).
 */
export type AcceptLater = (activity: Activity) => Promise<void>;

/**
 * Every activity Teams posts to `/api/messages`: messages (typed commands, or a card button carrying
 * one), invokes (card actions, the request dialog, file consent) and installation events. Messages are
 * only recorded here, and answered after the 200; the rest is answered before it.
 */
export function createTurnHandler(
  ctx: TeamsContext,
  acceptLater: AcceptLater,
): (io: InboundTurn) => Promise<void> {
  return async (io) => {
    const parsed = activitySchema.safeParse(io.raw);
    if (!parsed.success) {
      ctx.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'teams: activity not understood');
      const raw = io.raw as { type?: unknown } | null;
      if (raw?.type === 'invoke') await io.respond({}, 400);
      return;
    }
    let responded = false;
    const tracked: InboundTurn = {
      ...io,
      respond: async (body, status) => {
        responded = true;
        await io.respond(body, status);
      },
    };
    const turn = turnOf(ctx, parsed.data, tracked);
    const unsafe = unreadable(parsed.data, io.raw);
    if (unsafe) {
      ctx.logger.warn({ problem: unsafe, type: parsed.data.type }, 'teams: unsafe text refused');
      await tell(turn, textsOf(turn, null).msg(inputProblemMessage(unsafe)), responded).catch((e: unknown) =>
        ctx.logger.warn({ err: e }, 'teams: could not say why an activity was refused'),
      );
      return;
    }
    if (answeredAfterAck(answerRouteOf(parsed.data))) {
      await acceptLater(parsed.data);
      return;
    }
    if (await receivedBefore(ctx, parsed.data)) {
      ctx.logger.info({ type: parsed.data.type }, 'teams: an activity received again is ignored');
      if (parsed.data.type === 'invoke') await io.respond({}, 200);
      return;
    }
    await answer(turn, () => responded);
  };
}

/**
 * Stores the person's chat and does what the activity asks; when that fails, the person is told.
 * `responded`: whether an invoke's HTTP answer went out already.
 */
export async function answer(turn: Turn, responded: () => boolean): Promise<void> {
  const { ctx, activity } = turn;
  try {
    await remember(turn);
    await measured(
      'teams',
      (outcome: string) => outcome,
      () => route(turn),
    );
  } catch (err) {
    ctx.logger.error({ err, type: activity.type, name: activity.name }, 'teams: activity failed');
    await apologise(turn, responded()).catch((e: unknown) =>
      ctx.logger.warn({ err: e }, 'teams: could not apologise'),
    );
  }
}

/**
 * Whether this activity (by its conversation and id) was received already, by this instance or another
 * on the same database: a replayed or resent activity is done once. Asked only once the request is
 * authenticated, so nobody else can reserve an id. When the database does not answer, the activity is
 * handled as new (its own work then meets the same outage and says so).
 */
async function receivedBefore(ctx: TeamsContext, activity: Activity): Promise<boolean> {
  if (activity.id === undefined) return false;
  const now = ctx.deps.now();
  try {
    const id = await ctx.deps.store.work.accept(
      {
        requestKey: requestKeyOf(activity),
        surface: 'teams',
        kind: activity.type,
        payload: {},
      },
      now,
      { leaseUntil: null, doneAt: now },
    );
    return id === null;
  } catch {
    return false;
  }
}

/**
 * Checked before anything is stored or looked up, so a refused activity leaves no trace in the
 * database: unsafe characters anywhere in it (names and ids are stored too), the length of what its
 * card data holds, then a message's text as the command it would be read as (its length, its
 * character references).
 */
function unreadable(activity: Activity, raw: unknown): InputProblem | undefined {
  // Lengths are for what a person typed (a card's inputs, the message's text); Teams' own parts of an
  // activity (a formatted message's HTML copy) may be longer, within the body's megabyte.
  const found = requestProblem(raw, activity.value);
  if (found) return found.problem;
  if (activity.type !== 'message') return undefined;
  const typed = commandText(activity.text);
  return typed.ok ? undefined : typed.problem;
}

/** Something broke on our side (the database, a bug): the person hears it rather than nothing at all. */
function apologise(turn: Turn, responded: boolean): Promise<void> {
  return tell(turn, somethingWentWrong(turn), responded);
}

/**
 * "Something went wrong": nothing changed (try again), or done but not shown (see it with `show`), by
 * what the activity had changed; with whom to ask for help, in the person's language as Teams gives it.
 */
export function somethingWentWrong(turn: Turn): string {
  const texts = textsOf(turn, null);
  const support = supportFooter(texts.reader.locale, turn.ctx.deps.config.supportContact);
  return `${texts.msg(failureMessage(turn.changes.changed))}\n\n${support}`;
}

/** Says one thing to the person, in whatever form the activity can be answered. */
async function tell(turn: Turn, text: string, responded: boolean): Promise<void> {
  if (turn.activity.type === 'invoke') {
    if (!responded && turn.activity.name === 'adaptiveCard/action') {
      await turn.io.respond(messageResponse(text));
      return;
    }
    if (!responded && (turn.activity.name === 'task/fetch' || turn.activity.name === 'task/submit')) {
      await turn.io.respond({ task: { type: 'message', value: text } });
      return;
    }
    // Other invokes (file consent) have no answer Teams shows: accept it, and say it in the chat.
    if (!responded) await turn.io.respond({});
    await turn.io.send(textMessage(text));
    return;
  }
  if (turn.activity.type === 'message') await turn.io.send(textMessage(text));
}

/** A person's one-to-one chat is stored on every activity, so a restart never loses the way to reach them. */
async function remember(turn: Turn): Promise<void> {
  const { activity } = turn;
  if (!isPersonal(activity)) return;
  if (activity.type === 'installationUpdate' && activity.action?.startsWith('remove')) {
    await turn.ctx.refs.remove(activity.from.id);
    return;
  }
  await turn.ctx.refs.save(activity.from.id, referenceOf(activity));
}

async function route(turn: Turn): Promise<string> {
  const { activity, io } = turn;
  switch (activity.type) {
    case 'message':
      return onMessage(turn);
    case 'invoke':
      switch (activity.name) {
        case 'adaptiveCard/action':
          await io.respond(await handleCardAction(turn));
          return 'card_action';
        case 'task/fetch':
          await io.respond(await openWizard(turn));
          return 'dialog';
        case 'task/submit':
          await io.respond(await stepWizard(turn));
          return 'dialog';
        case 'fileConsent/invoke':
          await onFileConsent(turn);
          return 'file';
        case undefined:
        default:
          await io.respond({});
          return 'ignored';
      }
    case 'conversationUpdate':
    case 'installationUpdate':
      return onInstall(turn);
    default:
      return 'ignored';
  }
}

async function onMessage(turn: Turn): Promise<string> {
  const { activity, io } = turn;
  const submitted = submittedCommandSchema.safeParse(activity.value);
  const switching = submitted.success && submitted.data.command === 'use' && submitted.data.useAccount;
  const typed = switching
    ? { ok: true as const, text: `use ${accountWord(submitted.data.useAccount ?? '')}` }
    : submitted.success
      ? { ok: true as const, text: submitted.data.command }
      : commandText(activity.text);
  if (!typed.ok) {
    await io.send(textMessage(textsOf(turn, null).msg(inputProblemMessage(typed.problem))));
    return 'bad_command';
  }
  const { text } = typed;
  if (text === '' && activity.value !== undefined) return 'ignored';
  const who = await whoIsSpeaking(turn);
  const texts = textsOf(turn, who.ok ? who.value : null);
  if (!who.ok) {
    await io.send(textMessage(refusalText(who.refusal, texts)));
    return 'refused';
  }
  const parsed = parseCommand(text);
  const { actor } = who.value;
  const file = attachedFile(activity);
  if (file) {
    const line = fileRequestLine(parsed, file.name);
    if (!line.ok) {
      await io.send(textMessage(texts.msg(line.message)));
      return 'bad_command';
    }
    return answerReferenceFile(turn, actor, texts, line.command, file);
  }
  if (!parsed.ok) {
    await io.send(textMessage(texts.msg(parsed.error)));
    return 'bad_command';
  }
  const reply = await dispatch(turn.ctx.deps, actor, parsed.command, {
    reader: who.value.reader,
    changed: turn.changes.mark,
  });
  const place = await answerWhereItBelongs(turn, texts, reply, (send) =>
    drawReply(turn, texts, actor, reply, send, Boolean(switching)),
  );
  return place === 'unreachable' ? 'unreachable' : reply.kind === 'refused' ? 'refused' : 'ok';
}

/** Sends a command's reply with `send`, where the reply routing put it. */
async function drawReply(
  turn: Turn,
  texts: Texts,
  actor: Actor,
  reply: Reply,
  send: Send,
  switching: boolean,
): Promise<void> {
  // The landing page's switcher: once the account is switched, the page shows it.
  if (switching && reply.kind === 'done') {
    await send(textMessage(texts.msg(reply.message)));
    const page = await dispatch(turn.ctx.deps, actor, { type: 'list' });
    return drawReply(turn, texts, actor, page, send, false);
  }
  if (reply.kind === 'file') return sendFile(turn, texts, reply, send);
  if (reply.kind === 'wizard') {
    // What was typed goes into a draft kept by the bot; the card's button carries only its id, so a
    // dialog never opens on answers a card sent (as Slack's button does).
    const draft = await startDraft(turn.ctx.deps, actor, reply.state);
    const replaced = reply.replaces ? REPLACED_MESSAGE : undefined;
    await send(cardMessage(renderWizardEntry(texts, entryCard(draft.id), reply.missing, replaced)));
    return;
  }
  // The switcher offers the first accounts and always the one the page is of; the Request button is
  // there for whoever may request, as on Slack's Home tab.
  const landing =
    reply.kind === 'transfers'
      ? await landingAccounts(turn.ctx.deps, actor, SWITCHER_ACCOUNTS, reply.smartAccount)
      : undefined;
  await send(renderReply(reply, texts, actor.userId, landing));
}

const installSchema = z.object({ membersAdded: z.array(z.object({ id: z.string() })).optional() });

/**
 * The app installed for a person (or the bot added to a team). Personal installs get a welcome and are
 * linked to the inventory by e-mail; a team install logs the conversation id an admin may use as
 * TEAMS_COMPLIANCE_CONVERSATION_ID.
 */
async function onInstall(turn: Turn): Promise<string> {
  const { activity, io, ctx } = turn;
  const botAdded =
    activity.type === 'installationUpdate'
      ? activity.action === 'add' || activity.action === 'add-upgrade'
      : (installSchema.parse(activity).membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
  if (!botAdded) return 'ignored';
  if (!isPersonal(activity)) {
    ctx.logger.info(
      { conversationId: activity.conversation.id.split(';')[0] },
      'teams: bot added to a team or group chat',
    );
    return 'installed';
  }
  // conversationUpdate and installationUpdate both announce a personal install: welcome once.
  if (activity.type !== 'conversationUpdate') return 'installed';
  const who = await whoIsSpeaking(turn);
  const texts = textsOf(turn, who.ok ? who.value : null);
  await io.send(
    textMessage(
      who.ok
        ? texts.t('teams:welcome.known', { name: who.value.user.name })
        : texts.t('teams:welcome.unknown'),
    ),
  );
  return 'installed';
}
