import { REPLACED_MESSAGE } from '../../src/app/journey/in-progress.js';
import { z } from 'zod';
import {
  downloadedFile,
  leftOutFileOf,
  newFromFile,
  type FileReply,
} from '../../src/app/reference-file-request.js';
import type { ReviewSummary } from '../../src/app/selection.js';
import type { Command } from '../../src/commands/command.js';
import type { Actor } from '../../src/domain/types.js';
import { labelled } from '../../src/i18n/index.js';
import type { Activity } from './activity.js';
import type { Turn } from './context.js';
import { RefusedFileUrl } from './file-hosts.js';
import { cardMessage, refusalText, renderReply, textMessage } from './render/reply.js';
import { answerWhereItBelongs, type Send } from './reply-routing.js';
import { renderWizardEntry } from './render/wizard-entry.js';
import { entryCard } from './wizard/state.js';
import type { Texts } from './render/texts.js';
import type { MessageKey } from '../../src/domain/msg.js';

/** How Teams hands a bot a file sent to it in a one-to-one chat. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

const fileAttachmentSchema = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().min(1).max(255),
  content: z.object({ downloadUrl: z.string().url().max(4000) }),
});

export type FileAttachment = z.output<typeof fileAttachmentSchema>;

const MAX_REDIRECTS = 5;

/** The first file attached to a message, if any. */
export function attachedFile(activity: Activity): FileAttachment | undefined {
  for (const attachment of activity.attachments ?? []) {
    const file = fileAttachmentSchema.safeParse(attachment);
    if (file.success) return file.data;
  }
  return undefined;
}

/**
 * The file's response, following up to `MAX_REDIRECTS` redirects; undefined when its address or a
 * redirect's is not one the bot may download from (adapters/teams/file-hosts.ts). The download URL is
 * short-lived and pre-authorised, so no token is sent with it.
 */
async function download(turn: Turn, url: URL): Promise<Response | undefined> {
  const { ctx, activity } = turn;
  try {
    return await ctx.fileHosts.fetch(url, { redirects: MAX_REDIRECTS }, activity.serviceUrl);
  } catch (err) {
    if (!(err instanceof RefusedFileUrl)) throw err;
    ctx.logger.warn(
      { url: err.where, reason: err.reason },
      'teams: attached file not downloaded: address refused',
    );
    return undefined;
  }
}

function reviewLines(r: ReviewSummary, texts: Texts): string[] {
  const lines = [
    texts.t('core:journey.review.title'),
    texts.t('common:summary.assetCounts', { licenses: r.licenses, devices: r.devices }),
    ...r.perVirtualAccount.map((va) => texts.t('core:journey.review.perVirtualAccount', va)),
  ];
  if (r.leftOutTotal > 0) {
    lines.push(texts.t('core:journey.review.leftOut', { count: r.leftOutTotal }));
    lines.push(
      ...r.leftOut.map((item) => `• ${labelled(texts.reader.locale, item.ref, texts.msg(item.reason))}`),
    );
    if (r.leftOutTotal > r.leftOut.length)
      lines.push(texts.t('core:journey.review.leftOutMore', { count: r.leftOutTotal - r.leftOut.length }));
  }
  return lines;
}

async function read(
  turn: Turn,
  actor: Actor,
  texts: Texts,
  command: Extract<Command, { type: 'new' }>,
  file: FileAttachment,
): Promise<FileReply> {
  const refuse = (key: MessageKey): FileReply => ({
    kind: 'refused',
    refusal: { code: 'invalid', message: { key, params: { name: file.name } } },
  });
  const downloaded = await downloadedFile(download(turn, new URL(file.content.downloadUrl)));
  if (!downloaded.ok) return refuse(downloaded.refusal);
  return newFromFile(
    turn.ctx.deps,
    actor,
    command,
    { name: file.name, bytes: downloaded.bytes },
    { reader: texts.reader, changed: turn.changes.mark },
  );
}

/**
 * A CSV or Excel file attached to a message whose text is `new from:SA to:SA/VA …`: every row read
 * and checked, then what was read, left out and unreadable, and the transfer card or the button to
 * the dialog that asks what the line did not give, on a draft holding the file's selection. The full list of what was left out is offered as an Excel file when it is long.
 */
export async function answerReferenceFile(
  turn: Turn,
  actor: Actor,
  texts: Texts,
  command: Extract<Command, { type: 'new' }>,
  file: FileAttachment,
): Promise<string> {
  const reply = await read(turn, actor, texts, command, file);
  await answerWhereItBelongs(turn, texts, reply, (send, ownChat) =>
    drawFileReply(turn, texts, actor, reply, send, ownChat),
  );
  return reply.kind === 'refused' ? 'refused' : 'file';
}

/** What was read, and the transfer card or the button to the dialog; the left-out workbook in the person's own chat. */
async function drawFileReply(
  turn: Turn,
  texts: Texts,
  actor: Actor,
  reply: FileReply,
  send: Send,
  ownChat: boolean,
): Promise<void> {
  if (reply.kind === 'refused') {
    await send(textMessage(refusalText(reply.refusal, texts)));
  } else if (reply.kind === 'transfer') {
    await send(textMessage(reply.file.notes.map((note) => texts.msg(note)).join('\n')));
    await send(renderReply(reply, texts, actor.userId));
  } else {
    const notes = reply.file.notes.map((note) => texts.msg(note));
    await send(textMessage([...notes, ...reviewLines(reply.file.review, texts)].join('\n')));
    const replaced = reply.replaces ? REPLACED_MESSAGE : undefined;
    await send(cardMessage(renderWizardEntry(texts, entryCard(reply.draft.id), reply.missing, replaced)));
  }
  // Files go only to a person's own chat with the bot.
  if (ownChat) await offerLeftOut(turn, texts, reply, send);
}

/** The workbook of what the file left out, offered in the person's own chat with the bot. */
async function offerLeftOut(turn: Turn, texts: Texts, reply: FileReply, send: Send): Promise<void> {
  const { ctx, activity } = turn;
  const leftOut = leftOutFileOf(reply);
  if (!leftOut) return;
  const { file, count } = leftOut;
  const description = texts.t('core:referenceFile.leftOutFile', { count, name: file.name });
  await send(await ctx.files.offer({ ...file, description }, activity.from.id, ctx.deps.now()));
}
