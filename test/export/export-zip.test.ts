import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ZIP_QUEUE_BYTES, zipQueueOf, zipTaken } from '../../src/app/export-zip.js';

/** A file that takes nothing until it is opened, then everything: a disk or a network that stalls. */
function stalledFile() {
  const held: (() => void)[] = [];
  let open = false;
  let received = 0;
  const file = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (open) callback();
      else held.push(callback);
    },
  });
  return {
    file,
    received: () => received,
    open() {
      open = true;
      for (const callback of held.splice(0)) callback();
    },
  };
}

/** A streamed sheet of `rows` rows of text that does not compress, written into `file`. */
function sheetInto(file: Writable) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Transactions');
  return {
    workbook,
    sheet,
    write: (rows: number) => {
      for (let i = 0; i < rows; i += 1) sheet.addRow([randomBytes(150).toString('base64'), i]).commit();
    },
  };
}

describe('waiting for the zip between pages of an export', () => {
  it('finds the queue between a streamed sheet and the zip in the exceljs installed', () => {
    const { file } = stalledFile();
    const { sheet, write } = sheetInto(file);
    write(1);
    const queue = zipQueueOf(sheet);
    expect(queue).toBeDefined();
    expect(queue!._writableState.length).toBeGreaterThanOrEqual(0);
  });

  it('holds the writer while more XML waits than the zip may queue, until the file takes it', async () => {
    const stalled = stalledFile();
    const { sheet, write } = sheetInto(stalled.file);
    // About 2 MiB of XML: more than may wait, and more than the zip and the file hold between them.
    write(10_000);
    const queue = zipQueueOf(sheet)!;
    expect(queue._writableState.length).toBeGreaterThan(ZIP_QUEUE_BYTES);

    let taken = false;
    const waiting = zipTaken(queue, stalled.file).then(() => {
      taken = true;
    });
    for (let i = 0; i < 20; i += 1) await turn();
    expect(taken).toBe(false);

    const receivedBefore = stalled.received();
    stalled.open();
    await waiting;
    expect(queue._writableState.length).toBe(0);
    expect(stalled.received()).toBeGreaterThan(receivedBefore);
  });

  it('does not hold the writer while little waits, nor when there is no queue to see', async () => {
    const { file } = stalledFile();
    const { sheet, write } = sheetInto(file);
    write(10);
    const queue = zipQueueOf(sheet)!;
    expect(queue._writableState.length).toBeLessThanOrEqual(ZIP_QUEUE_BYTES);
    await zipTaken(queue, file);
    await zipTaken(undefined, file);
  });

  it('stops waiting when the file fails or closes, so the export ends instead of hanging', async () => {
    // A queue the zip stopped reading: nothing will ever drain it.
    const stuck = () =>
      Object.assign(new EventEmitter(), { _writableState: { length: 2 * ZIP_QUEUE_BYTES } });
    const failing = stalledFile().file;
    failing.on('error', () => undefined);
    const waitingOnFailure = zipTaken(stuck(), failing);
    failing.destroy(new Error('disk full'));
    await waitingOnFailure;

    const closing = stalledFile().file;
    const waitingOnClose = zipTaken(stuck(), closing);
    closing.destroy();
    await waitingOnClose;
  });
});
