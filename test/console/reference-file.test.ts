import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { EMAILS, seedWorld, testDeps } from '../support/world.js';

describe('the console: new … assets-file:PATH', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    dir = await mkdtemp(join(tmpdir(), 'reffile-'));
  });
  afterAll(async () => {
    await database.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function session(lines: string[], as: string = EMAILS.bob): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    input.end(`${lines.join('\n')}\n`);
    // Bob reads English.
    await runConsole({ deps: testDeps(database.db), input, output, interactive: false, as });
    return out;
  }

  it('says nothing of the file to someone who may not move from the source', async () => {
    const path = join(dir, 'refs.csv');
    await writeFile(path, 'Serial Number\tSales Order\nFOC0001\t\n\t100-1\n\t101-1\n');
    // Bob administers only be.example: as a source, nothing of fr-a.example is his to name.
    const out = await session([`new from:fr-a.example to:be.example/DEFAULT assets-file:${path}`]);
    expect(out).toContain('You are not an admin of the Smart Account fr-a.example.');
    expect(out).not.toMatch(/references? read/u);
  });

  it('requests the transfer and names what was left out, or continues with the wizard', async () => {
    const path = join(dir, 'mine.csv');
    await writeFile(path, 'SN:FOC0001\nSO:101-1\nnot a reference\n');
    const more = join(dir, 'more.csv');
    await writeFile(more, 'SN:FOC0002\n');
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    input.end(
      `new from:fr-a.example to:fr-b.example/DEFAULT assets-file:"${path}" same-company:yes\n` +
        `new from:fr-a.example assets-file:${join(dir, 'missing.csv')}\n` +
        `new from:fr-a.example to:fr-b.example/DEFAULT assets-file:${more}\nyes\nyes\n`,
    );
    await runConsole({ deps: testDeps(database.db), input, output, interactive: false, as: EMAILS.alice });
    // Alice reads French.
    expect(out).toContain('mine.csv\u00a0: 2 références lues.');
    expect(out).toContain('1 ligne ne contient aucune référence\u00a0: ligne 3.');
    expect(out).toContain('✗ SO:101-1\u00a0: achetée dans le cadre d’un accord d’entreprise');
    expect(out).toContain('missing.csv ne peut pas être ouvert.');
    // The third line misses same-company: the wizard asks it, then the review, and requests the transfer.
    expect(out).toContain('more.csv\u00a0: 1 référence lue.');
    const ids = new Set(out.match(/AT-[0-9A-Z]{8}/gu));
    expect(ids.size).toBe(2);
  });

  it('says so when the file opens the wizard over a request in progress, which it replaces', async () => {
    const path = join(dir, 'over.csv');
    await writeFile(path, 'SO:103-1\n');
    await session(['new', 'fr-a.example'], EMAILS.alice);
    const out = await session([`new from:fr-a.example assets-file:${path}`, '.'], EMAILS.alice);
    expect(out).toContain(`⚠ ${translate('fr', 'core:journey.inProgress.replaced')}`);
  });
});
