import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { runConsole } from '../../adapters/console/session.js';
import { users } from '../../db/schema.js';
import { translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { failReadsOf, failWrites } from '../support/failing-writes.js';
import { databaseSnapshot } from '../support/snapshot.js';
import { awaitingConsent, statusOf } from '../support/transfers.js';
import { EMAILS, seedWorld, testDeps } from '../support/world.js';

/** A scripted console session: what it printed, and what it logged through pino. */
async function session(database: TestDatabase, as: string, lines: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const logged: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') logged.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  input.end(`${lines.join('\n')}\n`);
  const code = await runConsole({
    deps: {
      ...testDeps(database.db),
      config: { ...testDeps(database.db).config, defaultTimeZone: 'Europe/Paris' },
    },
    input,
    output,
    interactive: false,
    as,
    logger: pino({ level: 'info' }, sink),
  });
  return { code, out, logged };
}

const ONE_LINE = 'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:105-1 same-company:yes';

describe('the console: hostile lines and failures on our side', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it('shows the controls a name from the inventory holds by code point, never sending them to the terminal', async () => {
    // An inventory may name someone with an escape sequence (clear the screen, red text), a carriage return
    // that overwrites the line, and a bell; the console writes each control as its code point.
    await database.db
      .update(users)
      .set({ name: 'Bob \u001b[2J\u001b[31mRED\u001b[0m\rOver\u0007\u009b' })
      .where(eq(users.email, EMAILS.bob));
    try {
      const { out } = await session(database, EMAILS.bob, ['whoami']);
      expect(out).toContain('Bob U+001B[2JU+001B[31mREDU+001B[0mU+000DOverU+0007U+009B');
      expect([...out].filter((c) => c !== '\n' && (c < ' ' || (c >= '\u007f' && c <= '\u009f')))).toEqual([]);
    } finally {
      await database.db.update(users).set({ name: 'Bob Peeters' }).where(eq(users.email, EMAILS.bob));
    }
  });

  it('refuses a line too long to be a command, echoing only its start', async () => {
    const { code, out } = await session(database, EMAILS.bob, [`accounts ${'x'.repeat(30_000)}`, 'whoami']);
    expect(code).toBe(0);
    expect(out).toContain('(30,009 characters)');
    expect(out).not.toContain('x'.repeat(1_000));
    expect(out).toContain('Acting as Bob Peeters <bob@be.example>.');
  });

  it('names a NUL or a noncharacter in a line, runs nothing, and goes on with the next line', async () => {
    const before = await databaseSnapshot(database.db);
    const { code, out } = await session(database, EMAILS.bob, [
      'accounts be\u0000example',
      `new from:fr-a.example justification:"\uFFFF"`,
      'whoami',
    ]);
    expect(code).toBe(0);
    expect(out).toContain(`✖ ${translate('en', 'input:error.character', { character: 'U+0000' })}`);
    expect(out).toContain(`✖ ${translate('en', 'input:error.character', { character: 'U+FFFF' })}`);
    expect(out).toContain('Acting as Bob Peeters <bob@be.example>.');
    expect(await databaseSnapshot(database.db)).toEqual(before);
  });

  it('asks a wizard question again when its answer holds a NUL', async () => {
    const { out } = await session(database, EMAILS.alice, ['new', 'fr-a\u0000.example', 'fr-a.example']);
    expect(out).toContain(translate('fr', 'input:error.character', { character: 'U+0000' }));
    // The same question came back, and the good answer moved the wizard on to the next one.
    expect(out.match(/Compte Smart source/g)).toHaveLength(2);
    expect(out).toContain('Compte Smart et compte virtuel de destination');
    expect(out).toContain(translate('fr', 'console:wizard.kept'));
  });

  it('says a failure on our side in the reader’s language, with no internal text, and logs the detail', async () => {
    const heal = await failWrites(database.db);
    try {
      const { code, out, logged } = await session(database, EMAILS.alice, [ONE_LINE]);
      expect(code).toBe(0);
      expect(out).toContain(`✖ ${translate('fr', 'core:failure.nothingChanged')}`);
      expect(out).toContain(`  ${translate('fr', 'console:detailsInLog')}`);
      expect(out).not.toMatch(/Failed query|simulated database failure|insert into|select /i);
      const entry = logged.find((l) => l['msg'] === 'console: command failed');
      expect(JSON.stringify(entry)).toContain('simulated database failure');
      expect(entry?.['level']).toBe(50);
    } finally {
      await heal();
    }
  });

  it('a failure after the change is made says it is done and how to see it, not that nothing changed', async () => {
    const id = await awaitingConsent(testDeps(database.db), 'SO:103-1');
    const heal = await failReadsOf(database.db, 'transfer_items');
    try {
      const { out } = await session(database, EMAILS.bob, [`consent ${id} approve`]);
      expect(out).toContain(
        `✖ Done: transaction ${id} is recorded, but something went wrong on our side while showing the ` +
          `result. Type show ${id} to see where it stands; there is no need to do it again.\n` +
          `  The details are in the bot's log.`,
      );
    } finally {
      await heal();
    }
    expect(await statusOf(database.db, id)).toBe('compliance_screening');
  });
});
