import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * The Web API client's transport (its documented `fetch` option), on Node's own http: one request, the
 * whole answer read into a Response. The client hands it a URL, a string body (the form it encodes) and
 * `redirect: 'error'`; anything else — a file's bytes, a form with parts, a redirect to follow, a proxy
 * to go through — goes to the global fetch unchanged. Node's fetch cost the bot 12–20 % of its CPU in a
 * burst of decisions (four Web API calls each; `npm run bench -- decision-round-trip`, three runs of each
 * way, alternated).
 */
export const webApiFetch: typeof fetch = (input, init) => {
  const body = init?.body;
  const lean =
    !throughEnvironmentProxy() &&
    typeof input === 'string' &&
    init?.redirect === 'error' &&
    (body === undefined || body === null || typeof body === 'string');
  if (!lean) return fetch(input, init);
  return request(input, init, body ?? undefined);
};

/**
 * Node's fetch goes through the proxy HTTPS_PROXY names when asked to (NODE_USE_ENV_PROXY=1 or
 * `--use-env-proxy`, Node 24): then it carries every call.
 */
function throughEnvironmentProxy(): boolean {
  return (
    process.env['NODE_USE_ENV_PROXY'] === '1' ||
    process.execArgv.includes('--use-env-proxy') ||
    (process.env['NODE_OPTIONS'] ?? '').includes('--use-env-proxy')
  );
}

/** Past this many bytes an answer is refused: the Web API's answers are a few kilobytes. */
export const WEB_API_ANSWER_LIMIT = 32 * 1024 * 1024;

/**
 * Connections are kept for the next call, as long as the server's Keep-Alive hint allows, else 4 s
 * idle (what Node's fetch keeps one): Slack's own may close sooner, and a call on a socket it just closed
 * fails as a network error, which the client and the outbox try again.
 */
const IDLE_SOCKET_MS = 4_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

/** Statuses whose Response may carry no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

function request(url: string, init: RequestInit, body: string | undefined): Promise<Response> {
  const target = new URL(url);
  const protocol = target.protocol;
  if (protocol !== 'http:' && protocol !== 'https:')
    return Promise.reject(new TypeError(`unsupported protocol ${protocol}`));
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(init.headers)) headers[name] = value;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<Response>((resolve, rejectWith) => {
    // An abort (the client's timeout) fails the call with the signal's reason, as fetch does.
    const reject = (err: unknown) => {
      const reason: unknown = init.signal?.aborted ? init.signal.reason : undefined;
      rejectWith(reason instanceof Error ? reason : err instanceof Error ? err : new Error(String(err)));
    };
    const req = (protocol === 'https:' ? https : http).request(
      target,
      {
        method: init.method ?? 'GET',
        headers,
        agent: agents[protocol],
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location !== undefined) {
          res.resume();
          reject(new TypeError(`unexpected redirect (HTTP ${status}) from ${target.origin}`));
          return;
        }
        readAll(res)
          .then((bytes) => {
            const answer = new Response(NULL_BODY.has(status) ? null : bytes, {
              status,
              statusText: res.statusMessage ?? '',
              headers: answerHeaders(res.headers),
            });
            Object.defineProperty(answer, 'url', { value: url });
            resolve(answer);
          })
          .catch(reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The answer's bytes, decoded when the server compressed them (nothing asked it to), up to the limit. */
async function readAll(res: http.IncomingMessage): Promise<Buffer> {
  const encoding = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > WEB_API_ANSWER_LIMIT) throw new Error(`answer larger than ${WEB_API_ANSWER_LIMIT} bytes`);
      chunks.push(chunk);
    }
  };
  try {
    if (decoder) await pipeline(res, decoder, collect);
    else await collect(res);
  } catch (err) {
    res.destroy();
    throw err;
  }
  // A connection that closed before the whole answer came is an error, not a short answer.
  if (!res.complete) throw new Error('the connection closed before the whole answer came');
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function answerHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    // The body handed on is already decoded.
    if (name === 'content-encoding' || name === 'content-length') continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}
