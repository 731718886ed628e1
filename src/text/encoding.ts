import { isUtf8 } from 'node:buffer';

/**
 * Whether a file's bytes are UTF-8, the one encoding the bot reads files in (an inventory, a file of
 * references). A file that is not is refused with what it most likely is, so that whoever saved it
 * knows how to save it again: UTF-16 (a byte-order mark, or a NUL beside nearly every letter), or an
 * 8-bit encoding such as Windows-1252 or Latin-1, named by its first byte UTF-8 has no place for.
 */
export type NotUtf8 =
  | { encoding: 'utf16' }
  | {
      encoding: 'other';
      /** The first byte that is not UTF-8, as the file holds it ("0xF6"). */
      byte: string;
      line: number;
      /** Counted in characters from 1. */
      column: number;
    };

/** The bytes looked at for UTF-16's pattern of NULs. */
const SNIFFED = 512;
/** A line kept this long at most to count a column in (the file's bytes are not held whole). */
const LINE_KEPT = 64 * 1024;

/** Whether `bytes` (a whole file) are UTF-8, and if not, what they most likely are. */
export function notUtf8(bytes: Uint8Array): NotUtf8 | undefined {
  // Most files are UTF-8: checked natively at once, without counting their lines.
  if (isUtf8(bytes) && !looksUtf16(bytes.subarray(0, SNIFFED))) return undefined;
  const watch = new Utf8Watch();
  watch.feed(bytes);
  return watch.end();
}

/**
 * The same reading of a file that arrives in pieces, without holding it: `feed` each piece in turn,
 * then `end` says what was found (undefined: UTF-8 throughout). A UTF-8 byte-order mark is UTF-8.
 */
export class Utf8Watch {
  private found: NotUtf8 | undefined;
  /** The file's first bytes, for UTF-16's marks. */
  private head: Buffer = Buffer.alloc(0);
  /** The bytes of a sequence cut between two pieces. */
  private carry: Uint8Array = new Uint8Array();
  private line = 1;
  /** The current line's bytes so far (up to LINE_KEPT), to count the column of a bad byte. */
  private lineBytes: Buffer[] = [];
  private lineLength = 0;

  feed(piece: Uint8Array): void {
    if (this.found?.encoding === 'utf16' || piece.byteLength === 0) return;
    if (this.head.byteLength < SNIFFED) {
      this.head = Buffer.concat([this.head, piece.subarray(0, SNIFFED - this.head.byteLength)]);
      if (this.head.byteLength === SNIFFED && looksUtf16(this.head)) this.found = { encoding: 'utf16' };
    }
    if (this.found) return;
    const bytes = this.carry.byteLength
      ? Buffer.concat([this.carry, piece])
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    const cut = incompleteTail(bytes);
    const whole = bytes.subarray(0, bytes.byteLength - cut);
    this.carry = Uint8Array.from(bytes.subarray(bytes.byteLength - cut));
    const at = isUtf8(whole) ? -1 : firstNotUtf8(whole);
    this.advance(at < 0 ? whole : whole.subarray(0, at));
    if (at >= 0) this.found = this.badByte(whole[at]!);
  }

  end(): NotUtf8 | undefined {
    if (looksUtf16(this.head)) return { encoding: 'utf16' };
    // A sequence the file ends in the middle of is not UTF-8 either.
    if (!this.found && this.carry.byteLength > 0) this.found = this.badByte(this.carry[0]!);
    return this.found;
  }

  /** Counts the lines of good bytes and keeps the last one's. */
  private advance(good: Buffer): void {
    const lastNewline = good.lastIndexOf(0x0a);
    if (lastNewline >= 0) {
      for (let at = good.indexOf(0x0a); at >= 0; at = good.indexOf(0x0a, at + 1)) this.line++;
      this.lineBytes = [];
      this.lineLength = 0;
      good = good.subarray(lastNewline + 1);
    }
    if (this.lineLength < LINE_KEPT && good.byteLength > 0) {
      this.lineBytes.push(Buffer.from(good.subarray(0, LINE_KEPT - this.lineLength)));
      this.lineLength += Math.min(good.byteLength, LINE_KEPT - this.lineLength);
    }
  }

  private badByte(byte: number): NotUtf8 {
    let before = Buffer.concat(this.lineBytes).toString('utf8');
    if (this.line === 1) before = before.replace(/^\uFEFF/, '');
    return {
      encoding: 'other',
      byte: `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`,
      line: this.line,
      column: [...before].length + 1,
    };
  }
}

/**
 * A UTF-16 byte-order mark, or text whose every other byte is mostly NUL (UTF-16 without a mark: Latin
 * letters are a byte and a NUL each; no UTF-8 text has NULs between its letters).
 */
function looksUtf16(head: Uint8Array): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  const pairs = Math.floor(Math.min(head.byteLength, SNIFFED) / 2);
  if (pairs < 1) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) even++;
    if (head[2 * i + 1] === 0) odd++;
  }
  return Math.max(even, odd) >= pairs / 2;
}

/** How many bytes at the end start a sequence the next piece may finish (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.byteLength); back++) {
    const byte = bytes[bytes.byteLength - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstNotUtf8(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const size = sequenceLength(bytes[at]!);
    if (size === 0 || at + size > bytes.length) return at;
    if (!isUtf8(bytes.subarray(at, at + size))) return at;
    at += size;
  }
  return -1;
}
