import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { locateDuplicateProperty, locateJsonSyntaxError } from './json-syntax.js';
import type { InventoryError } from './schema.js';

/** Reads and parses an inventory file as JSON; a syntax error names where it is. */
export async function readInventoryFile(
  path: string,
): Promise<{ ok: true; json: unknown } | { ok: false; errors: InventoryError[] }> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (!isUtf8(bytes)) {
      const at = notUtf8(bytes);
      return {
        ok: false,
        errors: [
          {
            path: '',
            message: `${path} is not UTF-8: byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} at line ${bytes.subarray(0, at).toString('latin1').split('\n').length}, column ${columnOf(bytes, at)}; save it again as UTF-8 (a file saved as Windows-1252 or Latin-1 would change its accented names)`,
          },
        ],
      };
    }
    text = bytes.toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'it is a folder; name the inventory file in it'
          : e.code === 'ERR_STRING_TOO_LONG'
            ? 'larger than one string can hold (about 512 MB); split it into several files'
            : e.message;
    return { ok: false, errors: [{ path: '', message: `cannot read ${path}: ${why}` }] };
  }
  // Editors on Windows like to start UTF-8 files with a byte-order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    return {
      ok: false,
      errors: [{ path: '', message: `${path} is not valid JSON ${describeSyntaxError(text, err)}` }],
    };
  }
  const twice = locateDuplicateProperty(text);
  if (twice)
    return {
      ok: false,
      errors: [
        { path: '', message: `${path} at line ${twice.line}, column ${twice.column}: ${twice.message}` },
      ],
    };
  return { ok: true, json };
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (the file is not UTF-8). */
function notUtf8(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    const size =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (size === 0 || at + size > bytes.length) return at;
    if (!isUtf8(bytes.subarray(at, at + size))) return at;
    at += size;
  }
  return at;
}

/** The column of a byte on its line, counting the characters before it. */
function columnOf(bytes: Buffer, at: number): number {
  const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
  return [...bytes.subarray(lineStart, at).toString('utf8')].length + 1;
}

function describeSyntaxError(text: string, err: unknown): string {
  const where = locateJsonSyntaxError(text);
  if (where) return `at line ${where.line}, column ${where.column}: ${where.message}`;
  return `(${err instanceof Error ? err.message : String(err)})`;
}
