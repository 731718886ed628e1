import { access } from 'node:fs/promises';
import type { Reply } from '../../src/app/dispatch.js';
import { discardDeliveredExport } from '../../src/app/export-files.js';
import { textsOf, whoIsSpeaking, type Turn } from './context.js';
import { RefusedFileUrl } from './file-hosts.js';
import { fileConsentSchema } from './files.js';
import type { Send } from './reply-routing.js';
import { textMessage } from './render/reply.js';
import type { Texts } from './render/texts.js';

/*
 * Exports in Teams: a bot cannot attach a file to a message, so the file is offered with a file consent
 * card in the person's own chat, and uploaded to their OneDrive once they accept it.
 */

/**
 * An export: a file consent card, sent with `send` where the reply routing puts it (reply-routing.ts: always
 * the person's own chat with the bot, since files cannot go to a channel).
 */
export async function sendFile(
  turn: Turn,
  texts: Texts,
  reply: Reply & { kind: 'file' },
  send: Send,
): Promise<void> {
  const { activity, ctx } = turn;
  const offer = await ctx.files.offer(
    { path: reply.path, name: reply.name, description: texts.msg(reply.notice) },
    activity.from.id,
    ctx.deps.now(),
  );
  await send(offer);
}

/** The person's answer to a file consent card: the file uploaded to their OneDrive, or why not. */
export async function onFileConsent(turn: Turn): Promise<void> {
  const { activity, io, ctx } = turn;
  const who = await whoIsSpeaking(turn);
  const texts = textsOf(turn, who.ok ? who.value : null);
  const consent = fileConsentSchema.safeParse(activity.value);
  const offer = consent.success
    ? ctx.files.verify(consent.data.context.offer, activity.from.id, ctx.deps.now())
    : undefined;
  await io.respond({});
  if (!consent.success || !offer) {
    await io.send(textMessage(texts.t('teams:file.notYours')));
    return;
  }
  // Accepted or declined once already (a second click on the same card), or swept: nothing is left to do.
  if (!(await exists(offer.p))) {
    await io.send(textMessage(texts.t('teams:file.gone', { name: offer.n })));
    return;
  }
  if (consent.data.action === 'decline') {
    await io.send(textMessage(texts.t('teams:file.declined', { name: offer.n })));
    return;
  }
  if (!consent.data.uploadInfo) {
    await io.send(textMessage(texts.t('teams:file.failed', { name: offer.n })));
    return;
  }
  try {
    await io.send(await ctx.files.upload(offer, consent.data.uploadInfo, activity.serviceUrl));
    // In the person's OneDrive now; an offer never accepted is left for the scheduled sweep.
    await discardDeliveredExport(ctx.deps, offer.p);
  } catch (err) {
    // The export is kept, so the same card can be accepted again.
    if (err instanceof RefusedFileUrl)
      ctx.logger.warn({ url: err.where, reason: err.reason }, 'teams: file not uploaded: address refused');
    else ctx.logger.warn({ err }, 'teams: file upload failed');
    await io.send(textMessage(texts.t('teams:file.failed', { name: offer.n })));
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
