import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen, type Listening } from '../../adapters/http/server.js';
import { createTeamsAdapter } from '../../adapters/teams/index.js';
import { startSlack, type SlackHarness } from '../slack/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { teamsConfig } from '../support/teams.js';
import { seedWorld, testDeps } from '../support/world.js';

/** Every line pino writes, parsed: what an operator's log collector would receive. */
function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

const STACK_LINE = /\n\s+at /;

async function answer(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

/**
 * Opens a connection, sends a request's head and not its body, and gives the first answer's status line
 * (or `closed` when the server closed the connection without answering).
 */
function headOnly(url: string, head: string[]): Promise<{ status: string; socket: Socket }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write([`POST ${pathname} HTTP/1.1`, `Host: ${hostname}`, ...head, '', ''].join('\r\n')),
    );
    socket.once('data', (chunk: Buffer) =>
      resolve({ status: chunk.toString('latin1').split('\r\n')[0] ?? '', socket }),
    );
    socket.once('end', () => resolve({ status: 'closed', socket }));
    socket.once('error', reject);
  });
}

describe('HTTP: requests nobody can act on are answered as JSON, without internals', () => {
  let database: TestDatabase;
  let server: Listening;
  let slack: SlackHarness;
  const log = logCapture();
  const teamsUrl = () => `http://127.0.0.1:${server.port}/api/messages`;
  const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    const app = createHttpApp({ ping: async () => true }, log.logger);
    createTeamsAdapter({
      deps: testDeps(database.db),
      config: teamsConfig(),
      logger: pino({ level: 'silent' }),
    }).mount(app);
    server = await listen(app, 0, '127.0.0.1');
    slack = await startSlack('pglite');
  });
  afterAll(async () => {
    await server?.close();
    await slack?.close();
    await database?.dispose();
  });

  it.each([
    ['a body that is not JSON', json('{bad'), 400, 'the request body is not valid JSON'],
    [
      'a gzip body that is not gzip',
      json('not gzip at all', { 'content-encoding': 'gzip' }),
      400,
      'the request body could not be decompressed',
    ],
    [
      'an unknown content encoding',
      json('{}', { 'content-encoding': 'bogus' }),
      415,
      'the request body has an unsupported content encoding',
    ],
    [
      'an unknown charset',
      { ...json('{}'), headers: { 'content-type': 'application/json; charset=bogus' } },
      415,
      'the request body has an unsupported charset',
    ],
    [
      'a body over a megabyte',
      json(JSON.stringify({ type: 'message', text: 'x'.repeat(1_100_000) })),
      413,
      'the request body is too large',
    ],
    ['JSON that is no activity', json('{}'), 400, 'the request body is not a Bot Framework activity'],
    ['an array', json('[1,2]'), 400, 'the request body is not a Bot Framework activity'],
  ])('Teams route, %s: %i with {"error"}', async (_what, init, status, error) => {
    const res = await answer(teamsUrl(), init);
    expect(res.status).toBe(status);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.text)).toEqual({ error });
    expect(res.text).not.toMatch(STACK_LINE);
  });

  it('logs a refused body through pino as a warning, with no stack', async () => {
    log.lines.length = 0;
    await answer(teamsUrl(), json('{bad'));
    const entry = log.lines.find((l) => l['msg'] === 'http: request refused');
    expect(entry).toMatchObject({
      level: 40,
      status: 400,
      type: 'entity.parse.failed',
      path: '/api/messages',
    });
    expect(JSON.stringify(entry)).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers an unknown route 404 {"error":"not found"}, not an HTML page', async () => {
    const res = await answer(`http://127.0.0.1:${server.port}/nowhere`);
    expect(res).toEqual({
      status: 404,
      type: 'application/json; charset=utf-8',
      text: '{"error":"not found"}',
    });
  });

  it('answers a method a route does not take 405 {"error":"method not allowed"}, naming those it takes', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    for (const [url, method, allow] of [
      [`${base}/healthz`, 'POST', 'GET, HEAD'],
      [`${base}/metrics`, 'DELETE', 'GET, HEAD'],
      [teamsUrl(), 'GET', 'POST'],
      [slack.url, 'PUT', 'POST'],
    ] as const) {
      const res = await fetch(url, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(await res.json()).toEqual({ error: 'method not allowed' });
    }
    const options = await fetch(`${base}/healthz`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD');
  });

  it('Slack route: Bolt’s bare 500 (written before its empty body) leaves as JSON too', async () => {
    const payload = encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: 'x' }));
    const res = await slack.post(`payload=${payload}`, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ error: 'internal error' });
  });

  it('Slack route: refuses a request that cannot be Slack’s, or a body over the limit, before reading the body', async () => {
    const fresh = String(Math.floor(Date.now() / 1000));
    const plausible = [`X-Slack-Request-Timestamp: ${fresh}`, `X-Slack-Signature: v0=${'0'.repeat(64)}`];
    const open: Socket[] = [];
    try {
      // The body is declared and never sent: only an answer given before reading it arrives.
      const unsigned = await headOnly(slack.url, [
        'Content-Type: application/json',
        'Content-Length: 4000000',
      ]);
      open.push(unsigned.socket);
      expect(unsigned.status).toBe('HTTP/1.1 401 Unauthorized');
      const stale = await headOnly(slack.url, [
        'X-Slack-Request-Timestamp: 1000000000',
        `X-Slack-Signature: v0=${'0'.repeat(64)}`,
        'Content-Length: 10',
      ]);
      open.push(stale.socket);
      expect(stale.status).toBe('HTTP/1.1 401 Unauthorized');
      const huge = await headOnly(slack.url, [...plausible, 'Content-Length: 50000000']);
      open.push(huge.socket);
      expect(huge.status).toBe('HTTP/1.1 413 Payload Too Large');
    } finally {
      for (const socket of open) socket.destroy();
    }
  });

  it('Slack route: bodies being read hold at most eight of the largest at once; the next is told to come back', async () => {
    const fresh = String(Math.floor(Date.now() / 1000));
    const plausible = [`X-Slack-Request-Timestamp: ${fresh}`, `X-Slack-Signature: v0=${'0'.repeat(64)}`];
    const slow: Socket[] = [];
    try {
      // Eight clients each declare 4 MB and send a byte: their bodies are being read.
      for (let i = 0; i < 8; i += 1) {
        const socket = connect(Number(new URL(slack.url).port), '127.0.0.1');
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(
          [
            `POST /slack/events HTTP/1.1`,
            'Host: x',
            ...plausible,
            `Content-Length: ${4 * 1024 * 1024}`,
            '',
            'x',
          ].join('\r\n'),
        );
        slow.push(socket);
      }
      const ninth = await headOnly(slack.url, [...plausible, 'Content-Length: 1000']);
      slow.push(ninth.socket);
      expect(ninth.status).toBe('HTTP/1.1 503 Service Unavailable');
    } finally {
      for (const socket of slow) socket.destroy();
    }
    // Once they are gone, a request of Slack's is taken again.
    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c' });
    await expect.poll(async () => (await slack.post(challenge, 'application/json')).status).toBe(200);
  });

  it('Slack route: the bare 401 of an unsigned request leaves as JSON too, and a signed body that is not JSON says so', async () => {
    const unsigned = await slack.post('{bad', 'application/json', { unsigned: true });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: 'unauthorized' });
    const signedGarbage = await slack.post('payload=%7Bbad', 'application/x-www-form-urlencoded');
    expect(signedGarbage.status).toBe(400);
    expect(await signedGarbage.json()).toEqual({ error: 'the request body is not valid JSON' });
  });
});
