import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import {
  BLANK_DATABASE_DIR,
  blankDatabaseUsable,
  makeBlankDatabase,
  seedFromBlankDatabase,
} from '../../db/embedded-engine.js';

/**
 * A new data folder starts from a copy of a blank database made when the bot is built
 * (db/embedded-engine.ts), instead of the engine creating one at its first start.
 */
describe('the blank embedded database a new data folder starts from', () => {
  let scratch: string;
  let blank: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(inject('testScratch'), 'blank-'));
    blank = join(scratch, 'blank');
    // The engine creating a database (initdb), as a first start does when no blank database was built.
    expect(await makeBlankDatabase(blank)).toBe(true);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is made whole by the installed engine, and kept while that engine is installed', async () => {
    expect(blankDatabaseUsable(blank)).toBe(true);
    expect(readdirSync(scratch)).toEqual(['blank']); // nothing half-made left beside it
    expect(await makeBlankDatabase(blank)).toBe(false);
  });

  it('gives a new data folder a copy, which opens and migrates as a database of its own', async () => {
    const first = join(scratch, 'first');
    expect(seedFromBlankDatabase(join(first, 'pg'), blank)).toBe(true);
    expect(readdirSync(first)).toEqual(['pg']); // nothing half-copied left beside it
    const database = await openDatabase({ dataDir: first });
    try {
      expect((await database.pendingMigrations()).length).toBeGreaterThan(0);
      await database.migrate();
      expect(await database.pendingMigrations()).toEqual([]);
    } finally {
      await database.close();
    }
    // The blank one is untouched: the next copy has no migration applied either.
    const second = join(scratch, 'second');
    expect(seedFromBlankDatabase(join(second, 'pg'), blank)).toBe(true);
    const again = await openDatabase({ dataDir: second });
    try {
      expect((await again.pendingMigrations()).length).toBeGreaterThan(0);
    } finally {
      await again.close();
    }
  });

  it('fills an empty folder left by an earlier start, and never one that holds anything', () => {
    const empty = join(scratch, 'empty', 'pg');
    mkdirSync(empty, { recursive: true });
    expect(seedFromBlankDatabase(empty, blank)).toBe(true);
    expect(existsSync(join(empty, 'PG_VERSION'))).toBe(true);

    // A copy a start left half done when it died goes; the next start copies afresh.
    const interrupted = join(scratch, 'interrupted');
    mkdirSync(join(interrupted, 'pg.4242.tmp', 'base'), { recursive: true });
    expect(seedFromBlankDatabase(join(interrupted, 'pg'), blank)).toBe(true);
    expect(readdirSync(interrupted)).toEqual(['pg']);

    const held = join(scratch, 'held', 'pg');
    mkdirSync(held, { recursive: true });
    writeFileSync(join(held, 'postmaster.opts'), 'kept');
    expect(seedFromBlankDatabase(held, blank)).toBe(false);
    expect(readdirSync(held)).toEqual(['postmaster.opts']);
  });

  it('leaves a folder to the engine when the copy fails, with nothing half-copied in it', () => {
    const dataDir = join(scratch, 'after-a-failed-copy');
    mkdirSync(dataDir);
    // A copy that stops partway, as a full disk or a file it may not read would stop it.
    const failing = (_from: string, to: string) => {
      mkdirSync(to);
      writeFileSync(join(to, 'PG_VERSION'), '18\n');
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    expect(seedFromBlankDatabase(join(dataDir, 'pg'), blank, failing)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('is not used when another version of the engine made it, nor when it is unfinished', () => {
    const other = join(scratch, 'other');
    cpSync(blank, other, { recursive: true });
    writeFileSync(join(other, 'made-by.json'), '{"engine":"0.0.1"}\n');
    expect(blankDatabaseUsable(other)).toBe(false);
    expect(seedFromBlankDatabase(join(scratch, 'by-other', 'pg'), other)).toBe(false);
    expect(existsSync(join(scratch, 'by-other'))).toBe(false);

    rmSync(join(other, 'made-by.json'));
    expect(blankDatabaseUsable(other)).toBe(false);
    expect(blankDatabaseUsable(join(scratch, 'never-made'))).toBe(false);
  });

  it('is built with the bot: installing it leaves one made by the installed engine in dist/', () => {
    expect(blankDatabaseUsable(BLANK_DATABASE_DIR)).toBe(true);
  });
});
