import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { createStore } from '../../db/store.js';
import { importInventoryFile } from '../../src/app/inventory.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { testDeps } from '../support/world.js';

const DEMO = fileURLToPath(new URL('../../data/demo-inventory.json', import.meta.url));

/** A scripted console session on the demo inventory: what it printed. */
async function session(database: TestDatabase, as: string, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  input.end(`${lines.join('\n')}\n`);
  const code = await runConsole({ deps: testDeps(database.db), input, output, interactive: false, as });
  expect(code).toBe(0);
  return out;
}

const MARIE = 'marie.dupont@lumiere-reseaux.fr';
const SOPHIE = 'sophie.lambert@lumiere-reseaux.be';
const CLAIRE = 'claire.fontaine@transferdesk.example';

const idOf = (out: string) => /AT-[0-9A-Z]{8}/.exec(out)?.[0];

describe.each(drivers)('the README stories, typed in the console on the demo inventory (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    const imported = await importInventoryFile({ store: createStore(database.db) }, DEMO);
    expect(imported.ok).toBe(true);
  });
  afterAll(() => database.dispose());

  it('Same company: Marie moves a license from Lyon to Paris, answering yes; it completes at once', async () => {
    const out = await session(database, MARIE, [
      'new from:lumiere-reseaux.fr to:paris.lumiere-reseaux.fr/DEFAULT assets:SO:104880012-1 same-company:yes',
    ]);
    const id = idOf(out)!;
    expect(id).toBeDefined();
    const submitted = await session(database, MARIE, [`submit ${id}`]);
    expect(submitted).toContain('Transfert terminé');
  });

  it('Affiliate: answering yes with the form given goes on as another company, naming both legal entities', async () => {
    const out = await session(database, MARIE, [
      'new from:lumiere-reseaux.fr/DEFAULT to:lumiere-reseaux.be/DEFAULT assets:SO:104857601-1 same-company:yes transferee:sophie.lambert@lumiere-reseaux.be justification:"x" terms:accept',
    ]);
    const id = idOf(out);
    expect(id, out).toBeDefined();
    expect(out).toContain('Lumière Réseaux SAS');
    expect(out).toContain('Lumière Réseaux Belgique SA');
    expect(out).not.toContain('formulaire de demande de transfert');
    await session(database, MARIE, [`submit ${id}`]);
    const consent = await session(database, SOPHIE, [`consent ${id} approve`]);
    expect(consent).toContain('Contrôle de conformité');
    const screened = await session(database, CLAIRE, [`screen ${id} approve`]);
    expect(screened).toContain('Transfert terminé');
  });
});
