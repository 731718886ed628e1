import { z } from 'zod';
import { discardDeliveredExport } from '../../../src/app/export-files.js';
import { failureMessage, trackChanges, type ChangeTracker } from '../../../src/app/failure.js';
import {
  downloadedFile,
  fileRequestLine,
  leftOutFileOf,
  newFromFile,
  type FileReply,
} from '../../../src/app/reference-file-request.js';
import { REFERENCE_FILE_MAX_BYTES } from '../../../src/app/reference-file.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import { knownReader, who, type SlackContext, type SlackWho } from '../context.js';
import { decodeSlackText } from '../decode.js';
import { uploadFile } from '../files.js';
import { chunkedSections, esc } from '../render/blocks.js';
import {
  noticeMessage,
  openWizardMessage,
  refusalMessage,
  renderReply,
  type Rendered,
} from '../render/reply.js';
import { selectionLines } from '../render/transfer.js';
import type { SlackRoutes } from '../routes.js';
import { slackTyped, withSupport } from './guard.js';
import type { MessageKey } from '../../../src/domain/msg.js';

/** A file shared in the bot's Messages tab, with the line that says what to do with it. */
export const fileShareSchema = z.object({
  type: z.literal('message'),
  channel: z.string().min(1),
  channel_type: z.literal('im'),
  user: z.string().min(1),
  text: z.string().max(4000).default(''),
  subtype: z.literal('file_share').optional(),
  files: z.array(z.object({ id: z.string().min(1).max(64), name: z.string().max(255).optional() })).min(1),
  bot_id: z.undefined().optional(),
});

const fileInfoSchema = z.object({
  file: z.object({
    name: z.string().max(255).default('file'),
    size: z.number().int().nonnegative().optional(),
    url_private_download: z.string().url(),
  }),
});

const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * What files.info answers for a file that is no longer there to read (deleted between the share and the
 * bot's look): a download that failed, to be sent again. Any other error (a missing scope, an outage) is
 * the bot's own failure.
 */
const FILE_GONE = new Set(['file_not_found', 'file_deleted']);
const slackErrorOf = (err: unknown): unknown => (err as { data?: { error?: unknown } } | null)?.data?.error;

/**
 * The bot token goes only to Slack's own file host, or to the host of the Web API the bot is pointed
 * at (SLACK_API_URL, a proxy or a test stand-in): never to a URL elsewhere.
 */
function mayDownloadFrom(url: URL, apiUrl: string | undefined): boolean {
  if (url.protocol === 'https:' && url.hostname === 'files.slack.com') return true;
  return apiUrl !== undefined && new URL(apiUrl).origin === url.origin;
}

const lines = (texts: string[]): Rendered => ({
  text: texts[0] ?? '',
  blocks: chunkedSections(texts).slice(0, 8),
});

/** What the file gave, then the transfer requested, or the button to the wizard that asks the rest. */
function fileMessages(reply: FileReply, reader: Reader): Rendered[] {
  if (reply.kind === 'refused') return [refusalMessage(reply.refusal, reader)];
  const notes = reply.file.notes.map((note) => esc(tr(reader, note)));
  if (reply.kind === 'transfer') {
    return [lines(notes), renderReply(reply, reader)];
  }
  return [
    lines([...notes, ...selectionLines(reply.file.review, reader)]),
    openWizardMessage(reply.draft.id, reader, reply.replaces),
  ];
}

async function readShared(
  ctx: SlackContext,
  person: SlackWho,
  event: z.infer<typeof fileShareSchema>,
  changes: ChangeTracker,
) {
  const refusedWith = (message: Msg): FileReply => ({
    kind: 'refused',
    refusal: { code: 'invalid', message },
  });
  const refuse = (key: MessageKey, params: Record<string, string | number>): FileReply =>
    refusedWith({ key, params });
  const shared = event.files[0]!;
  const line = fileRequestLine(parseCommand(decodeSlackText(event.text)), shared.name ?? 'file');
  if (!line.ok) return refusedWith(line.message);
  const described = await ctx.client.files.info({ file: shared.id }).catch((err: unknown) => {
    if (FILE_GONE.has(slackErrorOf(err) as string)) return undefined;
    throw err;
  });
  if (described === undefined)
    return refuse('core:referenceFile.downloadFailed', { name: shared.name ?? 'file' });
  const info = fileInfoSchema.parse(described);
  const { name } = info.file;
  if ((info.file.size ?? 0) > REFERENCE_FILE_MAX_BYTES)
    return refuse('core:referenceFile.tooLarge', { name, megabytes: REFERENCE_FILE_MAX_BYTES / 2 ** 20 });
  const url = new URL(info.file.url_private_download);
  if (!mayDownloadFrom(url, ctx.client.slackApiUrl))
    return refuse('core:referenceFile.downloadFailed', { name });
  const file = await downloadedFile(
    fetch(url, {
      headers: { authorization: `Bearer ${ctx.client.token ?? ''}` },
      redirect: 'error',
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    }),
  );
  if (!file.ok) return refuse(file.refusal, { name });
  return newFromFile(
    ctx.deps,
    person.actor,
    line.command,
    { name, bytes: file.bytes },
    { reader: person.reader, changed: changes.mark },
  );
}

/**
 * A CSV or Excel file shared with the bot, its message being `new from:SA to:SA/VA …`: the file is read
 * through `files.info` and its private download URL with the bot token, every row checked, and the
 * answer says what was read, left out and unreadable before the transfer or what is still missing.
 */
export function registerReferenceFiles(app: SlackRoutes, ctx: SlackContext): void {
  app.event('message', async ({ event }) => {
    const shared = fileShareSchema.safeParse(event);
    if (!shared.success) return;
    const channel = shared.data.channel;
    const post = (shown: Rendered) =>
      ctx.client.chat.postMessage({ channel, text: shown.text, blocks: shown.blocks });
    // Before the person is identified, a failure is told as `knownReader` says (read only then).
    let reader: Reader | undefined;
    let shown: Rendered[];
    const changes = trackChanges();
    try {
      const person = await who(ctx, shared.data.user);
      reader = person.ok ? person.value.reader : person.reader;
      if (!person.ok) shown = [refusalMessage(person.refusal, reader)];
      else {
        const reply = await readShared(ctx, person.value, shared.data, changes);
        shown = fileMessages(reply, reader);
        const file = leftOutFileOf(reply)?.file;
        if (file) {
          await uploadFile(ctx.client, channel, file, file.name);
          await discardDeliveredExport(ctx.deps, file.path);
        }
      }
    } catch (err) {
      ctx.log.error({ err: (err as Error).message }, 'reference file failed');
      reader ??= await knownReader(ctx, shared.data.user, { askSlack: true });
      const failed: Msg = withSupport(ctx, failureMessage(changes.changed, slackTyped), reader);
      shown = [noticeMessage(failed, reader)];
    }
    for (const message of shown) await post(message);
  });
}
