import { readFile } from 'node:fs/promises';
import { notUtf8, type NotUtf8 } from '../text/encoding.js';
import { locateDuplicateProperty, locateJsonSyntaxError } from './json-syntax.js';
import type { InventoryError } from './schema.js';

/** Reads and parses an inventory file as JSON; a syntax error names where it is. */
export async function readInventoryFile(
  path: string,
): Promise<{ ok: true; json: unknown } | { ok: false; errors: InventoryError[] }> {
  let text: string;
  try {
    const bytes = await readFile(path);
    const encoding = notUtf8(bytes);
    if (encoding) return { ok: false, errors: [{ path: '', message: `${path} ${notUtf8Advice(encoding)}` }] };
    text = bytes.toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'it is a folder; name the inventory file in it'
          : e.code === 'ERR_STRING_TOO_LONG' || e.code === 'ERR_FS_FILE_TOO_LARGE'
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

/** What is said of a file that is not UTF-8, after its name. */
function notUtf8Advice(found: NotUtf8): string {
  if (found.encoding === 'utf16')
    return 'is UTF-16, not UTF-8: save it again as UTF-8 (in most editors, "Save as" then the encoding "UTF-8")';
  return `is not UTF-8: byte ${found.byte} at line ${found.line}, column ${found.column}; save it again as UTF-8 (a file saved as Windows-1252 or Latin-1 would change its accented names)`;
}

function describeSyntaxError(text: string, err: unknown): string {
  const where = locateJsonSyntaxError(text);
  if (where) return `at line ${where.line}, column ${where.column}: ${where.message}`;
  return `(${err instanceof Error ? err.message : String(err)})`;
}
