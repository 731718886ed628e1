import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const CHILD = new URL('../support/connection-lost-child.ts', import.meta.url).pathname;
const TYPES_CHILD = new URL('../support/types-query-child.ts', import.meta.url).pathname;

/** Runs a child on the test database; answers how it ended, what it printed and what it said on stderr. */
async function runChild(script: string, url: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/**
 * A connection that fails under the driver: the statements on it fail, and the bot goes on. postgres.js 3.4
 * ended the process instead in two places (a transaction's ROLLBACK written from a timer to the closed
 * connection; a new connection's own array-types query failing with nobody waiting for it);
 * bin/patch-postgres.js mends both at install.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a connection that fails under the driver', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.dispose());

  it('a transaction whose connection the server ends fails, and the process and its pool go on', async () => {
    const { code, stdout, stderr } = await runChild(CHILD, database.url!);
    expect(code, `the process ended with ${code}: ${stderr}`).toBe(0);
    expect(stderr).not.toMatch(/TypeError|uncaught/i);
    const report = JSON.parse(stdout) as { outcome: string; later: string[]; again: string };
    const seen = JSON.stringify(report);
    // However the loss reaches the driver: the server's notice, the socket closed or reset.
    expect(report.outcome, seen).toMatch(
      /^failed: (CONNECTION_CLOSED|CONNECTION_DESTROYED|57P01|ECONNRESET|EPIPE)/,
    );
    expect(report.later.at(-1), seen).toBe('ok');
    expect(report.again, seen).toBe('committed');
  }, 30_000);

  it('a new connection whose first statement, the driver’s own, fails: the process and its pool go on', async () => {
    // Unmended, postgres.js ended the process here with the cancelled statement's error, every time.
    const { code, stdout, stderr } = await runChild(TYPES_CHILD, database.url!);
    expect(code, `the process ended with ${code}: ${stderr}`).toBe(0);
    expect(stderr).not.toMatch(/uncaught|unhandled|triggerUncaughtException/i);
    const { seen } = JSON.parse(stdout) as { seen: string[] };
    expect(seen.at(-1), JSON.stringify(seen)).toBe('ok');
  }, 30_000);
});
