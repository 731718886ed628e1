import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/**
 * What a caller is told when a request body cannot be read, by the `type` body-parser gives its
 * errors. Fixed sentences: an error's own message may quote internals, so it is never sent.
 */
const BODY_PROBLEMS: ReadonlyMap<string, string> = new Map([
  ['entity.parse.failed', 'the request body is not valid JSON'],
  ['entity.too.large', 'the request body is too large'],
  ['encoding.unsupported', 'the request body has an unsupported content encoding'],
  ['charset.unsupported', 'the request body has an unsupported charset'],
  ['request.aborted', 'the request was aborted'],
  ['request.size.invalid', 'the request body does not match its Content-Length'],
  ['entity.verify.failed', 'the request body could not be verified'],
]);

function statusOf(err: unknown): number {
  const candidate =
    (err as { status?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 400 && candidate <= 599
    ? candidate
    : 500;
}

/** A bad gzip or deflate body fails in zlib, which names no HTTP status: it is still the caller's fault. */
function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function publicReason(err: unknown, status: number): string {
  const type = (err as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' ? BODY_PROBLEMS.get(type) : undefined;
  if (known) return known;
  if (isZlibError(err)) return 'the request body could not be decompressed';
  return status >= 500 ? 'internal error' : (STATUS_CODES[status] ?? 'bad request').toLowerCase();
}

/**
 * The last word on every request the routes did not answer: `404 {"error":"not found"}` for an unknown
 * route, and for an error `{"error":"…"}` with its 4xx status (a body that is not JSON, too large, in a
 * bad encoding …) or 500. Never a stack, never an error's own text; the detail goes to the log, through
 * pino, where 4xx is a warning (the caller's mistake) and 5xx an error.
 */
export function answerUnhandled(logger: Logger) {
  return (err: unknown, req: IncomingMessage, res: ServerResponse): void => {
    const request = { method: req.method, path: (req.url ?? '').split('?')[0] };
    if (err === undefined || err === null) {
      logger.debug(request, 'http: no such route');
      send(res, 404, 'not found');
      return;
    }
    const status = isZlibError(err) ? 400 : statusOf(err);
    if (status >= 500) logger.error({ ...request, status, err }, 'http: request failed');
    else
      logger.warn(
        { ...request, status, type: (err as { type?: unknown }).type, reason: publicReason(err, status) },
        'http: request refused',
      );
    send(res, status, publicReason(err, status));
  };
}

function send(res: ServerResponse, status: number, error: string): void {
  if (res.headersSent) {
    // Half an answer is already out: the connection is all that can still be closed.
    res.end();
    return;
  }
  const body = JSON.stringify({ error });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** An error body a route's own code chose to send: JSON stays as it is. */
function isJson(contentType: number | string | string[] | undefined): boolean {
  return typeof contentType === 'string' && /^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType);
}

/**
 * The SDKs mounted here answer some errors themselves: Bolt a bare 400/401/413, botbuilder a bare
 * 401/405 or a 500 carrying an exception's message as text. Any answer of 400 or above that is not
 * already JSON leaves as `{"error":"…"}` with its status's reason instead, so every route fails alike
 * and no SDK's internal text reaches the caller. Installed first, for every route.
 */
export function jsonErrorBodies(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  // Bolt writes its 404 and 500 with `writeHead` before an empty body: the status and headers are kept
  // for `end`, which then sends them with the JSON body.
  res.writeHead = (status: number, ...rest: unknown[]) => {
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
    const json = isJson(headerOf(headers, 'content-type') ?? res.getHeader('content-type'));
    if (status < 400 || json) return writeHead(status, ...rest);
    res.statusCode = status;
    for (const [name, value] of headerPairs(headers)) res.setHeader(name, value);
    return res;
  };
  // A body streamed with `write` after such a status goes out as it is, its headers first.
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((...args: unknown[]) => {
    if (!res.headersSent) writeHead(res.statusCode);
    return write(...args);
  }) as ServerResponse['write'];
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    if (res.statusCode < 400 || res.headersSent || isJson(res.getHeader('content-type'))) return end(...args);
    const done = args.find((arg) => typeof arg === 'function');
    const body = JSON.stringify({ error: publicReason(undefined, res.statusCode) });
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    return done ? end(body, 'utf8', done) : end(body, 'utf8');
  }) as ServerResponse['end'];
  next();
}

/** The headers handed to `writeHead`: an object, or a flat list of names and values. */
function headerPairs(headers: unknown): [string, string | number | string[]][] {
  if (Array.isArray(headers)) {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
    return pairs;
  }
  if (typeof headers !== 'object' || headers === null) return [];
  return Object.entries(headers as Record<string, unknown>).flatMap(([name, value]) =>
    typeof value === 'string' || typeof value === 'number' || Array.isArray(value)
      ? [[name, value as string | number | string[]]]
      : [],
  );
}

function headerOf(headers: unknown, name: string): string | undefined {
  const found = headerPairs(headers).find(([key]) => key.toLowerCase() === name);
  return found && typeof found[1] === 'string' ? found[1] : undefined;
}

/**
 * The last handler of a path: any method its routes do not take is answered `405 {"error":"method not
 * allowed"}` with the methods they take in `Allow`; `OPTIONS` is answered `204` with the same header.
 */
export function onlyMethods(allow: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('allow', allow);
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    send(res, 405, 'method not allowed');
  };
}
