import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * A request body as its headers say it was sent: decompressed by its `Content-Encoding` (gzip, deflate,
 * br, as `express.json` reads Teams' activities) and in its `Content-Type`'s charset, for a route that
 * reads the bytes itself (Slack's, which checks their signature first). What cannot be read is refused
 * with the error body-parser gives for it, so that `answerUnhandled` (errors.ts) answers and logs every
 * route alike: 415 for an encoding or charset it does not take, 400 for a body that does not decompress
 * (a zlib error), 413 for one that decompresses past the limit.
 */

/** What the headers ask, told before the body is read: a refusal, or undefined when it can be read. */
export function undecodable(headers: IncomingHttpHeaders, charsets: readonly string[]): Error | undefined {
  const encoding = contentEncoding(headers);
  if (!DECOMPRESS.has(encoding))
    return refusal(415, 'encoding.unsupported', `unsupported content encoding "${encoding}"`);
  const charset = charsetOf(headers);
  if (charset !== undefined && !charsets.includes(charset))
    return refusal(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`);
  return undefined;
}

/** The body decompressed, at most `limit` bytes; throws as `undecodable` says, or zlib's error. */
export function decodedBody(headers: IncomingHttpHeaders, raw: Buffer, limit: number): Buffer {
  const decompress = DECOMPRESS.get(contentEncoding(headers));
  if (!decompress) {
    const encoding = contentEncoding(headers);
    throw refusal(415, 'encoding.unsupported', `unsupported content encoding "${encoding}"`);
  }
  try {
    return decompress(raw, limit);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw refusal(413, 'entity.too.large', 'request entity too large');
    throw err;
  }
}

/** The media type alone, lower case, without its parameters (`application/json`). */
export function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const DECOMPRESS: ReadonlyMap<string, (raw: Buffer, limit: number) => Buffer> = new Map([
  ['identity', (raw: Buffer, limit: number) => tooLarge(raw, limit)],
  ['gzip', (raw: Buffer, limit: number) => gunzipSync(raw, { maxOutputLength: limit })],
  ['deflate', (raw: Buffer, limit: number) => inflateSync(raw, { maxOutputLength: limit })],
  ['br', (raw: Buffer, limit: number) => brotliDecompressSync(raw, { maxOutputLength: limit })],
]);

function tooLarge(raw: Buffer, limit: number): Buffer {
  if (raw.byteLength > limit)
    throw Object.assign(new RangeError('too large'), { code: 'ERR_BUFFER_TOO_LARGE' });
  return raw;
}

function contentEncoding(headers: IncomingHttpHeaders): string {
  return (headers['content-encoding'] ?? 'identity').trim().toLowerCase() || 'identity';
}

function charsetOf(headers: IncomingHttpHeaders): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(headers['content-type'] ?? '');
  return match ? match[1]!.toLowerCase() : undefined;
}

function refusal(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, type, expose: true });
}
