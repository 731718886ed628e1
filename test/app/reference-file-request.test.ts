import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/app/dispatch.js';
import { newFromFile, type FileReply } from '../../src/app/reference-file-request.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseCommand } from '../../src/commands/grammar.js';
import type { Command } from '../../src/commands/command.js';
import { drivers } from '../support/db.js';
import { useSeeded } from '../support/world.js';

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

function newCommand(line: string): Extract<Command, { type: 'new' }> {
  const parsed = parseCommand(line);
  if (!parsed.ok || parsed.command.type !== 'new') throw new Error(`not a new: ${line}`);
  return parsed.command;
}

describe.each(drivers)('a file of references in a new request (%s)', (driver) => {
  const suite = useSeeded(driver, 'alice', 'console', 'each');

  const send = (line: string, text: string, name = 'refs.csv'): Promise<FileReply> =>
    newFromFile(suite.deps, suite.actor, newCommand(line), { name, bytes: bytesOf(text) });
  const transfers = async () => {
    const reply = await dispatch(suite.deps, suite.actor, { type: 'list', smartAccount: 'fr-a.example' });
    return reply.kind === 'transfers' ? reply.rows.length : -1;
  };

  it('requests the eligible references and says what it left out and which rows it could not read', async () => {
    const reply = await send(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets-file:refs.csv same-company:yes',
      'Serial Number;Sales Order\nFOC0001;\n;100-1\n;101-1\nNOPE1;\n#;\n;WO-1\n',
    );
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    expect(reply.file.notes).toEqual([
      { key: 'core:referenceFile.read', params: { name: 'refs.csv', count: 4 } },
      { key: 'core:referenceFile.unreadable', params: { count: 2, rows: '6, 7' } },
    ]);
    expect(reply.selection).toMatchObject({ licenses: 1, devices: 1, leftOutTotal: 2 });
    expect(reply.selection!.leftOut.map((l) => l.ref)).toEqual(['SO:101-1', 'SN:NOPE1']);
    expect(reply.selection!.leftOut[1]!.reason).toEqual({
      key: 'core:referenceFile.notInSource',
      params: { domain: 'fr-a.example' },
    });
    const view = await loadTransferView(suite.deps, reply.view.id, suite.actor);
    expect(view?.items.map((i) => i.ref).sort()).toEqual(['SN:FOC0001', 'SO:100-1']);
  });

  it('finds licenses by web order, subscription and PAK, and a sales order without line by all its lines', async () => {
    const reply = await send(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets-file:refs.csv same-company:yes',
      'Reference\nWO:wo-1\nSO:100\nPAK:PAK-1\n',
    );
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    const view = await loadTransferView(suite.deps, reply.view.id, suite.actor);
    expect(view?.items.map((i) => i.ref).sort()).toEqual(['SO:100-1', 'SO:100-2', 'SO:104-1']);
  });

  it('without everything else, saves the wizard a draft with the eligible references', async () => {
    const reply = await send('new from:fr-a.example assets-file:refs.csv', 'SN:FOC0001\nSO:102-1\n');
    if (reply.kind !== 'wizard') throw new Error(JSON.stringify(reply));
    expect(reply.draft.state.assets).toEqual({ refs: ['SN:FOC0001'], whole: [] });
    expect(reply.draft.state.fileLeftOut?.shown.map((l) => l.ref)).toEqual(['SO:102-1']);
    expect(reply.missing).toEqual(['to', 'same-company']);
    expect(reply.file.review.leftOut.map((l) => l.ref)).toEqual(['SO:102-1']);
    expect(await transfers()).toBe(0);
  });

  it('puts every asset left out in an Excel file when there are more than the review names', async () => {
    const missing = Array.from({ length: 60 }, (_, i) => `SN:GONE${i}`);
    const reply = await send(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets-file:refs.csv same-company:yes',
      ['SN:FOC0001', ...missing].join('\n'),
    );
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    expect(reply.selection).toMatchObject({ leftOutTotal: 60 });
    expect(reply.selection!.leftOut).toHaveLength(50);
    const file = reply.file.leftOutFile!;
    expect(file.name).toMatch(/^left-out-refs-.*\.xlsx$/);
    const { default: excel } = await import('exceljs');
    const book = new excel.Workbook();
    await book.xlsx.readFile(file.path);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(61);
    // Alice reads French.
    expect(sheet.getRow(2).values).toEqual([undefined, 'SN:GONE0', 'absent de fr-a.example']);
  });

  it('refuses a malformed file, a file naming nothing eligible, or no source, and creates nothing', async () => {
    const line = 'new from:fr-a.example to:fr-b.example/DEFAULT assets-file:refs.csv same-company:yes';
    expect(await send(line, 'SN:FOC0001\n"SN:FOC0002\n')).toMatchObject({
      kind: 'refused',
      refusal: { message: { key: 'core:referenceFile.malformed' } },
    });
    expect(await send(line, 'SO:101-1\nSN:NOPE\n')).toMatchObject({
      kind: 'refused',
      refusal: { message: { key: 'core:journey.error.nothingEligible' } },
    });
    expect(await send(line, 'hello\n')).toMatchObject({
      kind: 'refused',
      refusal: { message: { key: 'core:referenceFile.noReferences' } },
    });
    expect(await send('new to:fr-b.example/DEFAULT assets-file:refs.csv', 'SN:FOC0001\n')).toMatchObject({
      kind: 'refused',
      refusal: { message: { key: 'core:referenceFile.needsSource' } },
    });
    expect(await transfers()).toBe(0);
  });

  it('refuses a path typed in chat: there, the file is attached', async () => {
    const reply = await dispatch(
      suite.deps,
      suite.actor,
      newCommand('new from:fr-a.example assets-file:/etc/passwd'),
    );
    expect(reply).toMatchObject({
      kind: 'refused',
      refusal: { message: { key: 'core:referenceFile.attachInChat' } },
    });
  });
});
