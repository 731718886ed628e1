import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase, PGLITE_EXTENSIONS } from '../../db/client.js';
import { generateTestTls, trustInWorkers, type TestTls } from './test-tls.js';

/**
 * A fresh PGlite runs initdb (~4 s, ~660 MB); cloning a migrated data dir takes ~0.7 s.
 * So migrate once here and let every test file clone the dump.
 * Also the HTTPS certificate of the identity provider stand-in, trusted by every worker started after this.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'transfer-bot-template-'));
  const client = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  const database = await openDatabase({ pglite: client });
  await database.migrate();
  const dump = await client.dumpDataDir('none');
  const path = join(dir, 'template.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  project.provide('pgliteTemplate', path);
  const tls = await generateTestTls();
  trustInWorkers(tls, dir);
  project.provide('testTls', tls);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    testTls: TestTls;
  }
}
