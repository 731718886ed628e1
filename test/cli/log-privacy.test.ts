import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../adapters/cli/runtime.js';
import { createStore } from '../../db/store.js';
import type { Store } from '../../src/app/ports/store.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/4242/abcdefSECRET';
const TYPED = 'justification:"Fermeture du site de Lyon"';

/** The bot's own log (`transfer-bot start`), written to lines this test reads. */
function botLog() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = pino(loggerOptions({ LOG_LEVEL: 'info' }), out).child({ surface: 'slack' });
  return { log, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe.each(drivers)('what the log keeps of a failed statement (%s)', (driver) => {
  let database: TestDatabase;
  let store: Store;
  let failure: unknown;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    store = createStore(database.db);
    // A request the database refuses to record (jsonb holds no NUL, 22P05), as a Slack command is
    // recorded before its ack: its response_url and what was typed are the statement's parameters.
    failure = await store.work
      .accept(
        {
          requestKey: 'slack:command:log-privacy',
          surface: 'slack',
          kind: 'command',
          payload: { command: '/transfer', text: `new ${TYPED}\u0000`, response_url: RESPONSE_URL },
        },
        new Date(),
        { leaseUntil: null },
      )
      .then(
        () => undefined,
        (err: unknown) => err,
      );
  });
  afterAll(() => database?.dispose());

  it('leaves out the value the server quotes in its reason', async () => {
    // `invalid input syntax for type integer: "…"` (22P02): the server's message repeats the parameter.
    const refused = await database.db.execute(sql`select ${RESPONSE_URL}::int`).then(
      () => undefined,
      (err: unknown) => err,
    );
    const { log, lines } = botLog();
    log.warn({ err: refused }, 'a statement failed');
    const [line] = lines() as [{ err: { cause: { code: string; message: string } } }];
    expect(line.err.cause).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer' });
    expect(JSON.stringify(line)).not.toContain('abcdefSECRET');
  });

  it('names the statement and the server’s reason, never the parameters, however the error is logged', () => {
    expect(failure).toBeInstanceOf(Error);
    const { log, lines } = botLog();
    log.error({ err: failure }, 'could not record acknowledged work');
    log.error({ err: { message: (failure as Error).message } }, 'could not record acknowledged work');
    log.error(`An unhandled error occurred: ${(failure as Error).message}`);
    const logged = lines();
    expect(logged).toHaveLength(3);
    const text = JSON.stringify(logged);
    expect(text).not.toContain('abcdefSECRET');
    expect(text).not.toContain('Fermeture');
    const [whole, message, bolt] = logged as [
      { err: { message: string; cause: { code: string; message: string } } },
      { err: { message: string } },
      { msg: string },
    ];
    expect(whole.err.message).toMatch(/^Failed query: insert into "work_items" .*\nparams: \[not logged\]$/s);
    expect(whole.err.cause.code).toBe('22P05');
    expect(whole.err.cause.message).toMatch(/unsupported Unicode escape sequence/);
    expect(message.err.message).toBe(whole.err.message);
    expect(bolt.msg).toBe(`An unhandled error occurred: ${whole.err.message}`);
  });

  it('leaves out the start of a request body that is not JSON, which the engine quotes', () => {
    const { log, lines } = botLog();
    let parsed: unknown;
    try {
      parsed = JSON.parse(`response_url=${RESPONSE_URL}`);
    } catch (err) {
      log.warn(`Parsing request body failed (error: ${String(err)})`);
      log.warn({ err }, 'request refused');
    }
    expect(parsed).toBeUndefined();
    const text = JSON.stringify(lines());
    expect(text).not.toContain('response_u');
    expect(text).toContain('is not valid JSON');
  });

  it('still leaves out secrets by name, and shows everything else as before', () => {
    const { log, lines } = botLog();
    log.info({ at: new Date('2026-12-07T04:00:00Z'), ids: [1, 2], nested: { n: 1, ok: true } }, 'as it was');
    expect(lines()[0]).toMatchObject({
      at: '2026-12-07T04:00:00.000Z',
      ids: [1, 2],
      nested: { n: 1, ok: true },
      msg: 'as it was',
    });
    log.info(
      { config: { SLACK_BOT_TOKEN: 'xoxb-not-for-the-log' }, headers: { authorization: 'Bearer x' } },
      'started',
    );
    const text = JSON.stringify(lines());
    expect(text).not.toContain('xoxb-not-for-the-log');
    expect(text).not.toContain('Bearer x');
  });
});
