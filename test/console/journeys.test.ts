import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { consoleLines, consoleSession, createdIn, JOURNEYS, recorded } from '../support/journeys.js';
import { EMAILS, testDeps, seedWorld } from '../support/world.js';

describe('one journey: the console wizard and the one-line command make the same transfer', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it.each(JOURNEYS)('$name', async (journey) => {
    const { as, oneLine } = journey;
    const byWizard = await consoleSession(database.db, as, ['new', ...consoleLines(journey)]);
    const first = createdIn(byWizard);
    expect(first, byWizard).toBeDefined();
    const seen = await recorded(database.db, first!);
    // The assets are free again for the one-line request.
    await consoleSession(database.db, as, [`cancel ${first}`]);
    const byLine = await consoleSession(database.db, as, [oneLine]);
    const second = createdIn(byLine);
    expect(second, byLine).toBeDefined();
    expect(second).not.toBe(first);
    expect(await recorded(database.db, second!)).toEqual(seen);
    await consoleSession(database.db, as, [`cancel ${second}`]);
  });

  it('says a "same company" the inventory contradicts as the answer is taken, before asking for the transferee', async () => {
    const out = await consoleSession(database.db, 'alice', [
      'new',
      'fr-a.example',
      'be.example/DEFAULT',
      'oui',
    ]);
    const note = translate('fr', 'core:warning.twoLegalEntities', {
      source: 'Lumière Réseaux SAS',
      destination: 'Lumière Réseaux Belgique SA',
    });
    expect(out).toContain(`⚠ ${note}`);
    expect(out.indexOf(note)).toBeLessThan(out.lastIndexOf(translate('fr', 'core:journey.step.transferee')));
    expect(createdIn(out)).toBeUndefined();
  });

  it('reads every answer back on the review, before Submit for Review', async () => {
    // Options on the line replace whatever request an earlier test left in progress.
    const out = await consoleSession(database.db, 'alice', [
      'new from:fr-a.example to:be.example/DEFAULT same-company:no',
      'bob@be.example',
      'SO:100-2',
      'Bureau de Bruxelles',
      'oui',
    ]);
    const review = out.slice(out.lastIndexOf(translate('fr', 'core:journey.step.terms')));
    const line = (field: Parameters<typeof translate>[1], value: string) =>
      `  ${translate('fr', 'common:format.heading', { label: translate('fr', field) })} ${value}`;
    for (const expected of [
      line('common:field.source', 'fr-a.example'),
      line('common:field.destination', 'be.example/DEFAULT'),
      line('common:field.sameCompany', translate('fr', 'common:answer.no')),
      line(
        'common:field.transferee',
        translate('fr', 'common:format.person', { name: 'Bob Peeters', email: 'bob@be.example' }),
      ),
      // As the inventory gives them: the console form shows them without asking.
      line('common:field.transfereeLegalName', 'Lumière Réseaux Belgique SA'),
      line('common:field.address', 'Avenue Louise 1, Bruxelles'),
      line('common:field.businessJustification', 'Bureau de Bruxelles'),
      line('common:field.termsAndConditions', translate('fr', 'core:journey.review.termsAccepted')),
    ])
      expect(review, out).toContain(expected);
    expect(createdIn(out)).toBeUndefined();
  });

  it('refuses a `new …` line that names a Smart Account its requester does not administer, instead of opening the wizard', async () => {
    // Carol administers fr-a.example only: the wizard would have asked her for a transferee nobody can name.
    const out = await consoleSession(database.db, 'carol', [
      'new from:fr-a.example to:be.example/DEFAULT same-company:no',
    ]);
    expect(out).toContain(`✖ ${translate('fr', 'core:refusal.notAdminOfBoth', { accounts: 'be.example' })}`);
    expect(out).not.toContain(translate('fr', 'common:field.transferee'));
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
      const id = createdIn(out);
      expect(id, out).toBeDefined();
      // Alice reads French.
      expect(out).toContain('DEFAULT\u00a0: licences 0 · périphériques 2');
      expect(out).toContain('Laissés de côté, non éligibles (1)');
      expect(out).toContain('✗ SN:FOC0003\u00a0: enregistré sur SSM On-Prem');
      expect((await recorded(fresh.db, id!)).items).toEqual(['SN:FOC0001', 'SN:FOC0002']);
    } finally {
      await fresh.dispose();
    }
  });
});
