import { REPLACED_MESSAGE } from '../../src/app/journey/in-progress.js';
import type { MarkChange } from '../../src/app/failure.js';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppDeps } from '../../src/app/deps.js';
import type { Reply } from '../../src/app/dispatch.js';
import { leftOutFileOf, newFromFile } from '../../src/app/reference-file-request.js';
import type { Command } from '../../src/commands/command.js';
import type { Actor } from '../../src/domain/types.js';
import { tr, type Reader } from '../../src/i18n/index.js';
import { selectionLines } from './render.js';
import { runWizard, type Ask } from './wizard.js';
import type { MessageKey } from '../../src/domain/msg.js';

type NewCommand = Extract<Command, { type: 'new' }>;

/** The file a `new` names with `assets-file:PATH`, if any. */
export function assetsFileOf(command: Command): string | undefined {
  if (command.type !== 'new') return undefined;
  return (command.complete ? command.request : command.prefill).assetsFile;
}

/**
 * `new … assets-file:PATH` at the console: the file is read from disk as it streams, its report said
 * (references read, rows naming none, the review), then the transfer is requested or the wizard asks
 * what is still missing.
 */
export async function runFileNew(
  deps: AppDeps,
  actor: Actor,
  reader: Reader,
  command: NewCommand,
  path: string,
  ask: Ask,
  say: (text: string) => void,
  changed?: MarkChange,
): Promise<Reply | null> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return refused('core:referenceFile.cannotOpen', name);
  }
  try {
    if (!(await handle.stat()).isFile()) return refused('core:referenceFile.cannotOpen', name);
    const bytes = handle.createReadStream({ autoClose: false, highWaterMark: 64 * 1024 });
    const reply = await newFromFile(deps, actor, command, { name, bytes }, { reader, changed });
    const leftOutFile = leftOutFileOf(reply)?.file;
    if (reply.kind === 'refused') {
      if (leftOutFile) say(`  ${leftOutFile.path}`);
      return reply;
    }
    for (const note of reply.file.notes) say(tr(reader, note));
    if (leftOutFile) say(`  ${leftOutFile.path}`);
    if (reply.kind === 'transfer') {
      const transfer: Reply & { file?: unknown } = { ...reply };
      delete transfer.file;
      return transfer;
    }
    say(selectionLines(reader, reply.file.review).join('\n'));
    if (reply.replaces) say(`⚠ ${tr(reader, REPLACED_MESSAGE)}`);
    return runWizard(deps, actor, reader, reply.draft, ask, say);
  } finally {
    await handle.close();
  }
}

function refused(key: MessageKey, name: string): Reply {
  return { kind: 'refused', refusal: { code: 'invalid', message: { key, params: { name } } } };
}
