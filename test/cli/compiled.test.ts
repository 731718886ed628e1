import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const BUILD = fileURLToPath(new URL('../../bin/build.js', import.meta.url));

/** The libraries a compiled file loads with it: its own imports and those of the parts it imports. */
function librariesLoadedWith(dir: string, file: string, seen = new Set<string>()): Set<string> {
  const libraries = new Set<string>();
  if (seen.has(file)) return libraries;
  seen.add(file);
  const source = readFileSync(join(dir, file), 'utf8');
  // Static imports only (`import … from "x"` or `import "x"` at the start of a line); `import("x")` is
  // what a path loads when it first needs it.
  for (const [, specifier] of source.matchAll(/^import\s+(?:[^"]*?\sfrom\s*)?"([^"]+)";?$/gm)) {
    if (specifier!.startsWith('./')) {
      for (const library of librariesLoadedWith(dir, specifier!.slice(2), seen)) libraries.add(library);
    } else if (!specifier!.startsWith('node:')) {
      libraries.add(
        specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!,
      );
    }
  }
  return libraries;
}

describe('the compiled command line', () => {
  let dir: string;
  /** The part compiled from a source file (e.g. `start` for adapters/cli/start.ts). */
  const part = (name: string) => {
    const file = readdirSync(dir).find((f) => f.startsWith(`${name}-`) && f.endsWith('.mjs'));
    if (!file) throw new Error(`no compiled part for ${name} in ${readdirSync(dir).join(', ')}`);
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(inject('testScratch'), 'compiled-'));
    await promisify(execFile)(process.execPath, [BUILD, dir]);
  });

  it('loads no platform, database or Excel library before a command needs it', () => {
    const atFirst = librariesLoadedWith(dir, 'transfer-bot.mjs');
    for (const library of ['@slack/bolt', 'botbuilder', '@azure/msal-node', 'exceljs', 'postgres', 'express'])
      expect(atFirst).not.toContain(library);
  });

  it('starts a bot without Teams, Excel or a database driver, and loads Teams only with its own part', () => {
    const started = librariesLoadedWith(dir, part('start'));
    expect(started).toContain('express');
    // Nor either database's driver: the embedded engine or the server's is loaded once it is known which.
    for (const library of [
      'botbuilder',
      '@azure/msal-node',
      'exceljs',
      '@slack/bolt',
      'postgres',
      '@electric-sql/pglite',
    ])
      expect(started).not.toContain(library);
    expect(librariesLoadedWith(dir, part('adapter'))).toContain('@slack/bolt');
    expect(librariesLoadedWith(dir, part('teams'))).toContain('botbuilder');
  });
});
