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
    const post = await answer(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(JSON.parse(post.text)).toEqual({ error: 'not found' });
  });

  it('Slack route: the bare 401 of an unsigned request and Bolt’s bare 400 leave as JSON too', async () => {
    const unsigned = await slack.post('{bad', 'application/json', { unsigned: true });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: 'unauthorized' });
    const signedGarbage = await slack.post('payload=%7Bbad', 'application/x-www-form-urlencoded');
    expect(signedGarbage.status).toBe(400);
    expect(await signedGarbage.json()).toEqual({ error: 'bad request' });
  });
});
