import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { loadTransferView } from '../../src/app/views.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { EMAILS, testDeps, seedWorld, type Name } from '../support/world.js';

/** What a consenter and the record see of a request: the same whichever way it was made. */
async function recorded(database: TestDatabase, id: string) {
  const view = await loadTransferView(testDeps(database.db), id, null);
  if (!view) throw new Error(`no transfer ${id}`);
  return {
    status: view.status,
    source: view.source.domain,
    destination: `${view.destination.domain}/${view.destinationVirtualAccount}`,
    sameLegalEntity: view.sameLegalEntity,
    requestedByPartner: view.requestedByPartner,
    transferee: view.transferee?.email ?? null,
    justification: view.justification,
    transfereeLegalName: view.transfereeLegalName,
    items: view.items.map((i) => i.ref).sort(),
  };
}

describe('one journey: the console wizard and the one-line command make the same transfer', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  async function session(as: Name, lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    input.end(`${lines.join('\n')}\n`);
    await runConsole({ deps: testDeps(database.db), input, output, interactive: false, as: EMAILS[as] });
    return out;
  }
  const created = (out: string) => /AT-[0-9A-Z]{8}/.exec(out)?.[0];

  // Each journey: who asks, the wizard's lines in the scripted order, and the same request in one line.
  const journeys: { name: string; as: Name; wizard: string[]; oneLine: string }[] = [
    {
      name: 'same company',
      as: 'alice',
      wizard: ['fr-a.example', 'fr-b.example/DEFAULT', 'yes', 'SO:100-1, SN:FOC0001', 'yes'],
      oneLine: 'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:100-1,SN:FOC0001 same-company:yes',
    },
    {
      name: 'another company',
      as: 'alice',
      wizard: [
        'Lyon',
        'be.example/DEFAULT',
        'no',
        'bob@be.example',
        'SO:100-2',
        'Brussels office',
        'yes',
        'yes',
      ],
      oneLine:
        'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-2 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    },
    {
      name: 'another company, a bad answer at every step',
      as: 'alice',
      wizard: [
        'nowhere',
        'fr-a.example',
        'fr-a.example',
        'be.example',
        'Nope',
        'DEFAULT',
        'maybe',
        'no',
        'eve@partner.example',
        'bob@be.example',
        'SO:101-1',
        'SO:abc',
        'SO:105-1',
        ' ',
        'Brussels office',
        'no',
        'yes',
        'later',
        'yes',
      ],
      oneLine:
        'new from:fr-a.example to:be.example/DEFAULT assets:SO:105-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    },
    {
      name: 'a partner’s request, every eligible transferor asked',
      as: 'paul',
      wizard: [
        'fr-a.example',
        'be.example/DEFAULT',
        'no',
        'bob@be.example',
        '',
        'SO:103-1',
        'Integration',
        'yes',
        'yes',
      ],
      oneLine:
        'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example justification:Integration terms:accept',
    },
  ];

  it.each(journeys)('$name', async ({ as, wizard, oneLine }) => {
    const byWizard = await session(as, ['new', ...wizard]);
    const first = created(byWizard);
    expect(first, byWizard).toBeDefined();
    const seen = await recorded(database, first!);
    // The assets are free again for the one-line request.
    await session(as, [`cancel ${first}`]);
    const second = created((await session(as, [oneLine])).replace(first!, ''));
    expect(second).toBeDefined();
    expect(await recorded(database, second!)).toEqual(seen);
    await session(as, [`cancel ${second}`]);
  });

  it('a whole selection in one line: the reply counts it per Virtual Account and names what was left out', async () => {
    const fresh = await createTestDatabase('pglite');
    await seedWorld(fresh.db);
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      let out = '';
      output.on('data', (d: Buffer) => (out += d.toString()));
      input.end('new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:DEFAULT devices same-company:yes\n');
      await runConsole({ deps: testDeps(fresh.db), input, output, interactive: false, as: EMAILS.alice });
      const id = created(out);
      expect(id, out).toBeDefined();
      // Alice reads French.
      expect(out).toContain('DEFAULT\u00a0: licences 0 · périphériques 2');
      expect(out).toContain('Laissés de côté, non éligibles (1)');
      expect(out).toContain('✗ SN:FOC0003\u00a0: enregistré sur SSM On-Prem');
      expect((await recorded(fresh, id!)).items).toEqual(['SN:FOC0001', 'SN:FOC0002']);
    } finally {
      await fresh.dispose();
    }
  });
});
