import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { respondTo } from '../../adapters/slack/interaction.js';
import { generateTestTls } from '../support/test-tls.js';
import { WEB_API_ANSWER_LIMIT, webApiFetch } from '../../adapters/slack/web-fetch.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: unknown;
}

/** A server that records each request it is sent in `seen`, then lets `answer` answer it. */
function recordingServer(
  seen: Seen[],
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: req.socket,
      });
      answer(req, res);
    });
  });
}

/** A Web API on a local port whose every answer a test sets; it records what it was sent. */
describe('the Web API client over its own transport', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = recordingServer(seen, (req, res) => answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    answer = (_req, res) => json(res, { ok: true });
  });

  const json = (res: http.ServerResponse, value: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const client = (options: webApi.WebClientOptions = {}) =>
    new webApi.WebClient('xoxb-test', {
      slackApiUrl: `${base}/api/`,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
      fetch: webApiFetch,
      ...options,
    });
  /** What a failed call threw. */
  const failure = async (call: Promise<unknown>): Promise<unknown> =>
    call.then(
      () => {
        throw new Error('the call succeeded');
      },
      (err: unknown) => err,
    );

  it('posts the form the client encodes, with its length, and reads the answer', async () => {
    answer = (_req, res) => json(res, { ok: true, channel: 'C1', ts: '1700000000.000100' });
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'Transfert AT-AAAABBBB approuvé — 承認' } },
    ];
    const result = await client().chat.postMessage({ channel: 'C1', text: 'approuvé — 承認', blocks });
    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    const [call] = seen;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('/api/chat.postMessage');
    expect(call?.headers.authorization).toBe('Bearer xoxb-test');
    expect(call?.headers['content-length']).toBe(String(Buffer.byteLength(call?.body ?? '')));
    const form = new URLSearchParams(call?.body);
    expect(form.get('text')).toBe('approuvé — 承認');
    expect(JSON.parse(form.get('blocks') ?? '')).toEqual(blocks);
  });

  it('keeps the connection for the next call', async () => {
    const slack = client();
    await slack.chat.postMessage({ channel: 'C1', text: 'one' });
    await slack.chat.postMessage({ channel: 'C1', text: 'two' });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.socket).toBe(seen[0]?.socket);
  });

  it("hands on Slack's errors as the client's own: refusal, rate limit, server error", async () => {
    answer = (_req, res) => json(res, { ok: false, error: 'channel_not_found' });
    const refused = await failure(client().chat.postMessage({ channel: 'C404', text: 'x' }));
    expect(refused).toBeInstanceOf(webApi.WebAPIPlatformError);
    expect((refused as webApi.WebAPIPlatformError).data.error).toBe('channel_not_found');

    answer = (_req, res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end();
    };
    const limited = await failure(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'x' }),
    );
    expect(limited).toBeInstanceOf(webApi.WebAPIRateLimitedError);
    expect((limited as webApi.WebAPIRateLimitedError).retryAfter).toBe(7);

    answer = (_req, res) => json(res, { ok: false }, 503);
    const down = await failure(client().chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(down).toBeInstanceOf(webApi.WebAPIHTTPError);
    expect((down as webApi.WebAPIHTTPError).statusCode).toBe(503);
  });

  it('reads an answer the server compressed', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ ok: true, ts: '42.1' })));
    };
    expect(await client().chat.update({ channel: 'C1', ts: '42.1', text: 'x' })).toMatchObject({
      ts: '42.1',
    });
  });

  it('refuses a redirect instead of following it', async () => {
    answer = (req, res) => {
      if (req.url === '/elsewhere') return json(res, { ok: true });
      res.writeHead(302, { location: `${base}/elsewhere` });
      res.end();
    };
    const err = await failure(client().chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(err).toBeInstanceOf(webApi.WebAPIRequestError);
    expect((err as webApi.WebAPIRequestError).original.message).toMatch(/redirect/);
    expect(seen.map((s) => s.url)).toEqual(['/api/chat.postMessage']);
  });

  it("gives up at the client's timeout when Slack never answers", async () => {
    let held: http.ServerResponse | undefined;
    answer = (_req, res) => {
      held = res;
    };
    const err = await failure(client({ timeout: 100 }).chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(err).toBeInstanceOf(webApi.WebAPIRequestError);
    expect((err as webApi.WebAPIRequestError).original.name).toBe('TimeoutError');
    held?.destroy();
  });

  it('fails an answer cut short, rather than reading what came as the whole', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":true,');
      setImmediate(() => res.socket?.destroy());
    };
    const err = await failure(client().chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(err).toBeInstanceOf(webApi.WebAPIRequestError);
  });

  it('refuses an answer larger than the limit', async () => {
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const more = () => {
        while (sent <= WEB_API_ANSWER_LIMIT) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => (sent = Number.POSITIVE_INFINITY));
      more();
    };
    const err = await failure(client().chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(err).toBeInstanceOf(webApi.WebAPIRequestError);
    expect((err as webApi.WebAPIRequestError).original.message).toMatch(/larger than/);
  });

  it('answers 204 with an empty body', async () => {
    answer = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const res = await webApiFetch(`${base}/empty`, { method: 'POST', body: 'a=1', redirect: 'error' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.url).toBe(`${base}/empty`);
  });

  it("leaves what is not the client's plain form to the global fetch", async () => {
    // The global fetch asks for compressed answers; this transport never does. With NODE_USE_ENV_PROXY
    // set, Node's fetch goes through the environment's proxy, so it carries every call.
    await webApiFetch(`${base}/form`, { method: 'POST', body: 'a=1', redirect: 'error' });
    await webApiFetch(`${base}/bytes`, { method: 'POST', body: Buffer.from('a=1'), redirect: 'error' });
    await webApiFetch(`${base}/follow`, { method: 'POST', body: 'a=1' });
    process.env['NODE_USE_ENV_PROXY'] = '1';
    try {
      await webApiFetch(`${base}/proxied`, { method: 'POST', body: 'a=1', redirect: 'error' });
    } finally {
      delete process.env['NODE_USE_ENV_PROXY'];
    }
    expect(seen.map((s) => [s.url, s.body, s.headers['accept-encoding'] !== undefined])).toEqual([
      ['/form', 'a=1', false],
      ['/bytes', 'a=1', true],
      ['/follow', 'a=1', true],
      ['/proxied', 'a=1', true],
    ]);
  });

  describe('answers through a response_url', () => {
    it('posts the answer as JSON', async () => {
      answer = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      };
      await respondTo(
        `${base}/actions/T1/42/abc`,
        { text: 'Transfert AT-AAAABBBB — 承認', replace_original: false },
        { slackApiUrl: `${base}/api/` },
      );
      expect(seen).toHaveLength(1);
      expect(seen[0]?.url).toBe('/actions/T1/42/abc');
      expect(seen[0]?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
        text: 'Transfert AT-AAAABBBB — 承認',
        replace_original: false,
      });
    });

    it('gives up on a response_url that never answers, once, instead of holding its job', async () => {
      const held: http.ServerResponse[] = [];
      answer = (_req, res) => void held.push(res);
      const err = await failure(
        respondTo(
          `${base}/actions/T1/42/abc`,
          { text: 'x' },
          { slackApiUrl: `${base}/api/`, timeoutMs: 100 },
        ),
      );
      expect((err as Error).name).toBe('TimeoutError');
      expect(seen).toHaveLength(1);
      for (const res of held) res.destroy();
    });

    it('tries a response_url again when its connection was refused, the answer having certainly not arrived', async () => {
      // A port nobody listens on yet: the first attempt is refused; the listener opens before the next.
      const late = recordingServer(seen, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
      const port = await new Promise<number>((resolve) => {
        const probe = http.createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const lateBase = `http://127.0.0.1:${port}`;
      const refusedFirst = respondTo(
        `${lateBase}/actions/T1/42/abc`,
        { text: 'ok' },
        { slackApiUrl: `${lateBase}/api/` },
      );
      // Refused at once on this machine; the first try again waits at least 250 ms.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve));
      try {
        await refusedFirst;
        expect(seen.map((s) => s.url)).toEqual(['/actions/T1/42/abc']);
      } finally {
        await new Promise((resolve) => late.close(resolve));
      }
    });

    it('does not follow a redirect', async () => {
      answer = (req, res) => {
        if (req.url === '/elsewhere') return json(res, { ok: true });
        res.writeHead(307, { location: `${base}/elsewhere` });
        res.end();
      };
      const err = await failure(
        respondTo(`${base}/actions/T1/42/abc`, { text: 'x' }, { slackApiUrl: `${base}/api/` }),
      );
      expect((err as Error).message).toMatch(/redirect/);
      expect(seen.map((s) => s.url)).toEqual(['/actions/T1/42/abc']);
    });
  });

  describe('over HTTPS, as to Slack itself', () => {
    /** A Web API over TLS with the given certificate, answering every call with `{ ok: true }`. */
    async function tlsServer(tls: {
      cert: string;
      key: string;
    }): Promise<{ url: string; close(): Promise<void> }> {
      const server = https.createServer(tls, (req, res) => {
        req.resume();
        req.on('end', () => json(res, { ok: true, url: req.url }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
        close: async () => {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    }

    it('calls a server whose certificate is trusted', async () => {
      // The run's certificate, trusted by every worker (NODE_EXTRA_CA_CERTS), as an operator trusts a CA.
      const api = await tlsServer(inject('testTls'));
      try {
        const result = await client({ slackApiUrl: api.url }).auth.test();
        expect(result).toMatchObject({ ok: true, url: '/api/auth.test' });
      } finally {
        await api.close();
      }
    });

    it('refuses a server whose certificate nothing vouches for', async () => {
      const api = await tlsServer(await generateTestTls());
      try {
        const err = await failure(client({ slackApiUrl: api.url }).auth.test());
        expect(err).toBeInstanceOf(webApi.WebAPIRequestError);
        expect((err as webApi.WebAPIRequestError).original.message).toMatch(/certificate/i);
      } finally {
        await api.close();
      }
    });
  });
});
