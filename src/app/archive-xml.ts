import { setImmediate as turn } from 'node:timers/promises';
import type JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/**
 * One XML entry of a zip archive parsed as it unpacks, within bounds: what it unpacks (counted across
 * the entries of one archive), how long the parser may hold a stretch whole, how deep elements nest,
 * and how long the event loop is held. For the workbooks people send the bot (reference-workbook.ts),
 * where a few kilobytes can unpack to gigabytes.
 */

/**
 * The most XML read without an element or a text coming to its end, in characters. The parser holds
 * each whole until then (a text, a tag and its attributes, a comment), while Excel keeps a cell's text
 * to 32,767 characters: anything that long is not a workbook.
 */
const MAX_QUIET = 1024 * 1024;
/**
 * The deepest nesting of elements: a sheet's cell text is seven deep, and the parser keeps every element
 * still open (a few kilobytes of `<a><a>…` would otherwise hold gigabytes).
 */
const MAX_DEPTH = 64;
/** XML parsed between two turns of the event loop, so that other work goes on while a workbook is read. */
const SLICE = 256 * 1024;
/** Unpacked bytes waiting for the parser beyond which the unpacking pauses, and below which it goes on. */
const QUEUE_HIGH = 4 * 1024 * 1024;
const QUEUE_LOW = 1024 * 1024;

/** What an archive's entries have unpacked to so far, and the most they may. */
export interface Unpacked {
  bytes: number;
  readonly max: number;
}

/** The entry is not well-formed XML, or not what any workbook holds. */
export class NotWellFormed extends Error {}
/** Past the bound on what the archive unpacks. */
export class TooLarge extends Error {}

export interface Handlers {
  /** False to stop reading the entry. */
  opentag?(tag: SaxesTagPlain): boolean;
  text?(text: string): void;
  /** False to stop reading the entry. */
  closetag?(tag: SaxesTagPlain): boolean | void;
}

/**
 * Parses one entry of the archive as it unpacks, counting what it unpacks against the bound, until
 * its end or a handler says stop. An entry missing is read as empty.
 */
export async function parseEntry(zip: JSZip, path: string, unpacked: Unpacked, on: Handlers) {
  const file = zip.file(path);
  if (file === null) return;
  const parser = new SaxesParser({ position: false });
  let stopped = false;
  let depth = 0;
  // Characters read since the parser last reported an element or a text.
  let quiet = 0;
  parser.on('opentag', (tag) => {
    quiet = 0;
    if (++depth > MAX_DEPTH) throw new NotWellFormed('nested too deep');
    if (!stopped && on.opentag?.(tag as SaxesTagPlain) === false) stopped = true;
  });
  parser.on('closetag', (tag) => {
    quiet = 0;
    depth--;
    if (!stopped && on.closetag?.(tag as SaxesTagPlain) === false) stopped = true;
  });
  const text = (piece: string) => {
    quiet = 0;
    if (!stopped) on.text?.(piece);
  };
  parser.on('text', text);
  parser.on('cdata', text);
  parser.on('error', (error) => {
    throw new NotWellFormed(error.message);
  });
  const decoder = new TextDecoder('utf-8');
  const take = (chunk: Uint8Array) => {
    unpacked.bytes += chunk.byteLength;
    if (unpacked.bytes > unpacked.max) throw new TooLarge();
    const piece = decoder.decode(chunk, { stream: true });
    if ((quiet += piece.length) > MAX_QUIET) throw new NotWellFormed('no element nor text ends');
    parser.write(piece);
  };
  // The entry unpacks a piece at a time (JSZip's documented `internalStream`, missing from its types), and
  // a piece of a few kilobytes can unpack to megabytes at once: they wait in a queue, read with a turn of
  // the event loop every `SLICE` bytes, and the unpacking pauses while the queue is long.
  const stream = (file as unknown as { internalStream(type: 'uint8array'): EntryStream }).internalStream(
    'uint8array',
  );
  const queue: Uint8Array[] = [];
  let queued = 0;
  let paused = false;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  stream
    .on('data', (chunk) => {
      queue.push(chunk);
      queued += chunk.byteLength;
      if (queued > QUEUE_HIGH && !paused) {
        paused = true;
        stream.pause();
      }
      wake?.();
    })
    .on('error', (error) => {
      failure = error;
      wake?.();
    })
    .on('end', () => {
      ended = true;
      wake?.();
    })
    .resume();
  try {
    let sinceTurn = 0;
    for (;;) {
      if (failure !== undefined)
        throw new NotWellFormed(failure instanceof Error ? failure.message : 'unpacking failed');
      const chunk = queue.shift();
      if (chunk === undefined) {
        if (ended) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      queued -= chunk.byteLength;
      take(chunk);
      if (stopped) return;
      sinceTurn += chunk.byteLength;
      if (sinceTurn > SLICE) {
        sinceTurn = 0;
        await turn();
      }
      if (paused && queued < QUEUE_LOW) {
        paused = false;
        stream.resume();
      }
    }
    parser.write(decoder.decode());
    parser.close();
  } finally {
    stream.pause();
  }
}

interface EntryStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): EntryStream;
  on(event: 'error', listener: (error: unknown) => void): EntryStream;
  on(event: 'end', listener: () => void): EntryStream;
  pause(): EntryStream;
  resume(): EntryStream;
}
