import { readFile } from 'node:fs/promises';
import { locateJsonSyntaxError } from './json-syntax.js';
import type { InventoryError } from './schema.js';

/** Reads and parses an inventory file as JSON; a syntax error names where it is. */
export async function readInventoryFile(
  path: string,
): Promise<{ ok: true; json: unknown } | { ok: false; errors: InventoryError[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
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
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      errors: [{ path: '', message: `${path} is not valid JSON ${describeSyntaxError(text, err)}` }],
    };
  }
}

function describeSyntaxError(text: string, err: unknown): string {
  const where = locateJsonSyntaxError(text);
  if (where) return `at line ${where.line}, column ${where.column}: ${where.message}`;
  return `(${err instanceof Error ? err.message : String(err)})`;
}
