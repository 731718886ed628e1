import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { LONGEST } from '../support/longest-files.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** What a test of pure code must not do: reach a database, a server, a file, or state other files see. */
const FORBIDDEN = [
  'vi.mock',
  'vi.spyOn',
  'vi.stubEnv',
  'vi.stubGlobal',
  'useFakeTimers',
  'process.env',
  'process.exitCode',
  'process.on(',
  'process.chdir',
  'createTestDatabase',
  'writeFileSync',
  'mkdtemp',
  'createServer',
  'support/db.js',
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

const projects = (config.test?.projects ?? []) as { test?: { name?: string; include?: string[] } }[];
const pure = projects.find((p) => p.test?.name === 'pure')?.test?.include ?? [];

/** The list's entries are a folder's tests (`dir/**\/*.test.ts`) or one file. */
const matches = (entry: string, file: string) =>
  entry.endsWith('/**/*.test.ts') ? file.startsWith(entry.slice(0, -'**/*.test.ts'.length)) : file === entry;

describe('tests of pure code (vitest.config.ts)', () => {
  it('are listed as folders of tests or single files, each naming at least one test', () => {
    expect(pure.length).toBeGreaterThan(0);
    const files = testFiles(join(ROOT, 'test'));
    for (const entry of pure) {
      expect(entry.endsWith('/**/*.test.ts') || entry.endsWith('.test.ts'), entry).toBe(true);
      expect(
        files.some((file) => matches(entry, file)),
        entry,
      ).toBe(true);
    }
  });

  it('touch nothing another file could see: no spies, timers, environment, process state, database or files', () => {
    const files = testFiles(join(ROOT, 'test')).filter((file) => pure.some((entry) => matches(entry, file)));
    const found = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return FORBIDDEN.filter((word) => text.includes(word)).map((word) => `${file}: ${word}`);
    });
    expect(found).toEqual([]);
  });
});

describe('the files started first (test/support/longest-files.ts)', () => {
  it('are test files that exist, each named once', () => {
    const files = testFiles(join(ROOT, 'test'));
    expect(LONGEST.filter((file) => !files.includes(file))).toEqual([]);
    expect(new Set(LONGEST).size).toBe(LONGEST.length);
  });
});
