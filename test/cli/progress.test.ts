import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine, progressOn } from '../../adapters/cli/progress.js';
import { DEMO_INVENTORY } from '../../adapters/cli/demo-inventory.js';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../../db/client.js';
import { copyEmbeddedTemplate } from '../support/db.js';
import { BIN, COMMAND_FLAGS } from '../support/cli.js';

describe('the progress line of long command-line work', () => {
  it('counts rows against the total with a percentage, and estimates what is left once a second has passed', () => {
    expect(
      progressLine({
        label: 'import: licenses',
        done: 40_000,
        total: 100_000,
        unit: 'rows',
        elapsedMs: 4_000,
      }),
    ).toBe('import: licenses 40,000 / 100,000 rows (40 %), about 6 s left');
    expect(
      progressLine({ label: 'export: rows', done: 1_000, total: 250_000, unit: 'rows', elapsedMs: 2_000 }),
    ).toBe('export: rows 1,000 / 250,000 rows (0 %), about 8 min 18 s left');
    expect(
      progressLine({ label: 'import: devices', done: 500, total: 2_000, unit: 'rows', elapsedMs: 300 }),
    ).toBe('import: devices 500 / 2,000 rows (25 %)');
    expect(progressLine({ label: 'migrate:', done: 3, total: 3, unit: 'migrations', elapsedMs: 1_600 })).toBe(
      'migrate: 3 / 3 migrations (100 %), done in 2 s',
    );
    expect(progressLine({ label: 'jobs: deliveries', done: 12, unit: 'messages', elapsedMs: 61_000 })).toBe(
      'jobs: deliveries 12 messages, 1 min 01 s',
    );
  });

  it('redraws one line in place on a terminal, at most ten times a second, and clears it at the end', () => {
    const writes: string[] = [];
    let clock = 0;
    const terminal = {
      isTTY: true,
      columns: 60,
      write: (s: string) => writes.push(s),
    } as unknown as NodeJS.WriteStream;
    const progress = progressOn(terminal, () => clock);
    progress.update('import: licenses', 1_000, 10_000);
    clock = 50;
    progress.update('import: licenses', 2_000, 10_000); // too soon: not drawn
    clock = 2_000;
    progress.update('import: licenses', 5_000, 10_000);
    progress.update('import: licenses', 10_000, 10_000); // the last one always is
    progress.end();
    expect(writes).toEqual([
      '\r\x1b[2Kimport: licenses 1,000 / 10,000 rows (10 %)',
      '\r\x1b[2Kimport: licenses 5,000 / 10,000 rows (50 %), about 2 s left',
      '\r\x1b[2Kimport: licenses 10,000 / 10,000 rows (100 %), done in 2 s',
      '\r\x1b[2K',
    ]);
  });

  it('draws nothing when the output is not a terminal', () => {
    const writes: string[] = [];
    const piped = { isTTY: false, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const progress = progressOn(piped);
    progress.update('import: licenses', 1, 2);
    progress.end();
    expect(writes).toEqual([]);
  });
});

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...COMMAND_FLAGS, BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('long commands piped into a script', { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-bot-progress-'));
    // A data folder just created, never migrated (a copy of the run's template): `migrate` has every
    // migration to apply, without paying again for creating the folder (the cold start in cli.test.ts does).
    env = { DATA_DIR: copyEmbeddedTemplate('created') };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(env.DATA_DIR!, { recursive: true, force: true });
  });

  it('migrate, import, export and jobs run print only their result: no progress line, nothing on stderr', async () => {
    const migrated = await run(['migrate'], env);
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout).toMatch(/^migrated .+\n$/);

    const imported = await run(['import', DEMO_INVENTORY], env);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(
      /^legalEntities: \d+ created, 0 updated, 0 unchanged; .*devices: \d+ created, 0 updated, 0 unchanged\n$/,
    );
    // The embedded database's planner knows the inventory at once (it has no autovacuum to learn it).
    const database = await openDatabase({ dataDir: env.DATA_DIR! });
    try {
      const known = rowsOf<{ table: string; rows: number }>(
        await database.db.execute(sql`
          select relname as table, reltuples::float8 as rows from pg_class
          where oid in ('public.licenses'::regclass, 'public.devices'::regclass) order by relname`),
      );
      expect(known.map((k) => k.table)).toEqual(['devices', 'licenses']);
      for (const k of known) expect(k.rows).toBeGreaterThan(0);
    } finally {
      await database.close();
    }

    const out = join(dir, 'account.xlsx');
    const exported = await run(['export', '--smart-account', 'lumiere-reseaux.fr', '--out', out], env);
    expect(exported).toMatchObject({ code: 0, stdout: `${out}\n`, stderr: '' });
    expect(existsSync(out)).toBe(true);

    const jobs = await run(['jobs', 'run'], env);
    expect(jobs).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(jobs.stdout)).toHaveProperty('deliveries');
  });
});
