import type { Command, NewOption, NewPrefill, ParseResult } from '../commands/command.js';
import { newCommandOf } from '../commands/new-command.js';
import { startDraft, type Draft } from './journey/drafts.js';
import { draftInProgress } from './journey/in-progress.js';
import { type JourneyState } from './journey/journey.js';
import { openingJourney } from './journey/opening.js';
import type { Actor } from '../domain/types.js';
import { msg, type Msg } from '../domain/msg.js';
import { translate, tr, type Reader } from '../i18n/index.js';
import type { DispatchOptions, Reply } from './dispatch.js';
import { request } from './dispatch.js';
import type { AppDeps } from './deps.js';
import { writeExportFile, type ExportedFile } from './export.js';
import { readerFor } from './reader.js';
import { readReferenceFile, rowList } from './reference-file.js';
import { selectFromFile } from './reference-file-selection.js';
import { ineligibleProblem, LEFT_OUT_SHOWN, type ReviewSummary } from './selection.js';

/** Rows naming no reference that a reply names; the rest are counted. */
export const UNREADABLE_ROWS_NAMED = 30;

/** A file of references as a surface received it: its bytes as they arrive, and the name it was sent under. */
export interface ReferenceFileUpload {
  name: string;
  bytes: AsyncIterable<Uint8Array>;
}

/** What a surface's download of a file of references gave: the file's bytes, or why they are not the file. */
export type DownloadedFile =
  | { ok: true; bytes: AsyncIterable<Uint8Array> }
  | { ok: false; refusal: 'core:referenceFile.downloadFailed' | 'core:referenceFile.webPage' };

/** Media types of a web page: what a sharing link or a sign-in page answers in place of a file. */
const WEB_PAGE_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * A download of a file of references, as a surface started it: the file's bytes, or a refusal. A download
 * that failed is refused, whether it never reached the file (no answer, a timeout, a redirect the surface
 * does not follow: `undefined` or a rejection) or got an error status; so is a web page in place of the
 * file: Teams on a phone has been seen to hand a bot a sharing link, whose page is HTML, and a host that
 * wants a sign-in answers with one; read as CSV, it would be a file whose rows name nothing. A refused
 * response's body is let go, so its connection is freed.
 */
export async function downloadedFile(download: Promise<Response | undefined>): Promise<DownloadedFile> {
  const response = await download.catch(() => undefined);
  const refuse = async (
    refusal: Extract<DownloadedFile, { ok: false }>['refusal'],
  ): Promise<DownloadedFile> => {
    await response?.body?.cancel().catch(() => undefined);
    return { ok: false, refusal };
  };
  if (!response?.ok || !response.body) return refuse('core:referenceFile.downloadFailed');
  const mediaType = response.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase() ?? '';
  if (WEB_PAGE_TYPES.has(mediaType)) return refuse('core:referenceFile.webPage');
  return { ok: true, bytes: downloadedBytes(response.body) };
}

/** A download's body as a file's bytes; the download is cancelled when reading stops early. */
async function* downloadedBytes(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** What the file gave, said before the transfer or the rest of the wizard. */
export interface FileReport {
  /** What was read, and which rows named no reference. */
  notes: Msg[];
  review: ReviewSummary;
  /** Every asset left out, with its reason, when there are more than the review names. */
  leftOutFile?: ExportedFile;
}

/**
 * The one-line `new` with a file: the transfer requested, or, after the file's report, the wizard's
 * draft holding the file's selection and what the line gave, which a surface offers to open.
 */
export type FileReply =
  | {
      kind: 'refused';
      refusal: Extract<Reply, { kind: 'refused' }>['refusal'];
      /** The workbook of every asset left out, which the refusal names: a file that found nothing eligible. */
      leftOut?: { file: ExportedFile; count: number };
    }
  | (Extract<Reply, { kind: 'transfer' }> & { file: FileReport })
  | {
      kind: 'wizard';
      draft: Draft;
      missing: NewOption[];
      file: FileReport;
      /** It replaced the person's request in progress on this surface: to be said. */
      replaces?: true;
    };

type FileRefusal = Extract<FileReply, { kind: 'refused' }>;

const refusal = (message: Msg, details: Msg[] = []): FileRefusal => ({
  kind: 'refused',
  refusal: { code: 'invalid', message, ...(details.length > 0 ? { details } : {}) },
});

const nothingEligible = (details: Msg[]): FileRefusal =>
  refusal(msg('core:journey.error.nothingEligible'), details);

/**
 * The line a file of references came with, on a surface where a file is attached to a message: only a
 * `new …` line reads the file; a line typed wrong is told what was wrong, and any other line, or none,
 * how to send a file, naming it.
 */
export function fileRequestLine(
  parsed: ParseResult,
  fileName: string,
): { ok: true; command: Extract<Command, { type: 'new' }> } | { ok: false; message: Msg } {
  if (!parsed.ok) return { ok: false, message: parsed.error };
  return parsed.command.type === 'new'
    ? { ok: true, command: parsed.command }
    : { ok: false, message: msg('core:referenceFile.needsNew', { name: fileName }) };
}

/**
 * `new … ` with a file of references: every row read and every reference checked against the source
 * before anything is created. A malformed file, or one naming nothing that may move, creates nothing.
 * With everything else given, the transfer is requested as a one-line `new` would; otherwise the
 * eligible references, however many, and what the line gave are saved as the wizard's draft, and the
 * review names what the file left out until the assets are chosen anew.
 */
export async function newFromFile(
  deps: AppDeps,
  actor: Actor,
  command: Extract<Command, { type: 'new' }>,
  upload: ReferenceFileUpload,
  options: DispatchOptions = {},
): Promise<FileReply> {
  const given = command.complete ? command.request : command.prefill;
  if (given.whole !== undefined && given.whole.length > 0)
    return refusal(msg('core:referenceFile.notWithWhole'));
  const source = given.source;
  if (source === undefined) return refusal(msg('core:referenceFile.needsSource'));

  const read = await readReferenceFile(upload.bytes, upload.name);
  if (!read.ok) return refusal(read.error);
  const { file } = read;
  const notes = [msg('core:referenceFile.read', { name: file.name, count: file.refs.length })];
  if (file.unreadable.length > 0)
    notes.push(
      msg('core:referenceFile.unreadable', {
        count: file.unreadable.length,
        rows: rowList(file.unreadable, UNREADABLE_ROWS_NAMED),
      }),
    );
  // References typed on the line are checked with the file's.
  const refs = [...(given.assets ?? []), ...file.refs];
  if (refs.length === 0) return refusal(msg('core:referenceFile.noReferences', { name: file.name }), notes);

  const selected = await selectFromFile(deps, actor, source, refs);
  if (!selected.ok) return { kind: 'refused', refusal: selected.refusal };
  const { expanded, leftOut } = selected.value;
  const report: FileReport = { notes, review: expanded.review };
  if (leftOut.length > LEFT_OUT_SHOWN) {
    const reader =
      options.reader ??
      readerFor(await deps.store.users.findUser({ id: actor.userId }), {}, deps.config.defaultTimeZone);
    report.leftOutFile = await leftOutWorkbook(deps, reader, file.name, leftOut);
    notes.push(
      msg('core:referenceFile.leftOutFile', { count: leftOut.length, name: report.leftOutFile.name }),
    );
  }
  if (expanded.refs.length === 0) {
    const refused = nothingEligible([
      ...notes,
      ...leftOut.slice(0, LEFT_OUT_SHOWN).map(({ ref, reason }) => ineligibleProblem(ref, reason)),
    ]);
    return report.leftOutFile
      ? { ...refused, leftOut: { file: report.leftOutFile, count: leftOut.length } }
      : refused;
  }

  // With the file's references in place of the file, the line may now be a whole request.
  const prefill: NewPrefill = {
    ...(command.complete ? command.request : command.prefill),
    assets: expanded.refs,
  };
  delete prefill.assetsFile;
  const completed = newCommandOf(prefill);
  if (!completed.complete) {
    const opening = await openingJourney(deps, actor, completed.prefill);
    if (!opening.ok) return { kind: 'refused', refusal: opening.refusal };
    const state: JourneyState = opening.value;
    if (leftOut.length > 0)
      state.fileLeftOut = { shown: expanded.review.leftOut, total: expanded.review.leftOutTotal };
    const replaces = (await draftInProgress(deps, actor)) !== undefined;
    const draft = await startDraft(deps, actor, state);
    const wizard = { kind: 'wizard' as const, draft, missing: completed.missing, file: report };
    return replaces ? { ...wizard, replaces } : wizard;
  }
  const reply = await request(deps, actor, completed.request, options.changed);
  // A request either is refused or shows the transfer it created.
  if (reply.kind !== 'transfer') return reply as Extract<Reply, { kind: 'refused' }>;
  return { ...reply, selection: expanded.review, file: report };
}

/**
 * The name of the workbook of what a file left out, from the file's own: its letters, digits, `_` and `-`,
 * the first 40 characters (whole characters: one outside the BMP, 𠮷 or an emoji, is not cut in half).
 */
export function leftOutStem(fileName: string): string {
  const kept = Array.from(fileName.replace(/\.[^.]*$/u, '').replace(/[^\p{L}\p{N}_-]+/gu, '-'));
  return `left-out-${kept.slice(0, 40).join('') || 'file'}`;
}

/** Every asset left out, with its reason in the reader's language, as a workbook in the export folder. */
async function leftOutWorkbook(
  deps: AppDeps,
  reader: Reader,
  fileName: string,
  leftOut: readonly { ref: string; reason: Msg }[],
): Promise<ExportedFile> {
  return writeExportFile(deps, {
    stem: leftOutStem(fileName),
    timeZone: reader.timeZone,
    tables: [
      {
        name: translate(reader.locale, 'core:referenceFile.leftOutSheet'),
        columns: [
          { header: translate(reader.locale, 'export:column.reference'), kind: 'text' },
          { header: translate(reader.locale, 'export:column.reason'), kind: 'text' },
        ],
        rows: leftOut.map(({ ref, reason }) => [ref, tr(reader, reason)]),
      },
    ],
  });
}

/**
 * The workbook of what a file left out that a reply names, refused or not, and how many assets it lists:
 * every surface hands it over.
 */
export function leftOutFileOf(reply: FileReply): { file: ExportedFile; count: number } | undefined {
  if (reply.kind === 'refused') return reply.leftOut;
  const file = reply.file.leftOutFile;
  return file && { file, count: reply.file.review.leftOutTotal };
}
