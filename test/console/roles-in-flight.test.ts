import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importFile } from '../../adapters/cli/commands.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { consoleSession, createdIn } from '../support/journeys.js';
import { EMAILS, seedWorld, testDeps } from '../support/world.js';

/**
 * The console's inbox draws each card as its reader reads it: one asked to consent who lost the role sees
 * no buttons, and why, and the requester reads who can no longer answer and who still can; a compliance
 * officer made by an import finds the screening already waiting, once.
 */
describe('roles taken away while a transfer waits, at the console', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    dir = mkdtempSync(join(inject('testScratch'), 'roles-in-flight-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  });

  it('shows the card without buttons to one who lost the role, and hands the screening over', async () => {
    // Paul, a partner, asks Alice and Carol as transferor, Bob as transferee.
    const requested = await consoleSession(database.db, 'paul', [
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    ]);
    const id = createdIn(requested)!;
    await consoleSession(database.db, 'paul', [`submit ${id}`]);
    await consoleSession(database.db, 'ada', ['revoke carol@fr.example admin fr-a.example']);

    const carol = await consoleSession(database.db, 'carol', ['inbox']);
    const card = carol.slice(
      carol.indexOf(`Votre consentement en tant que cédant est demandé pour la transaction ${id}`),
    );
    expect(card).toContain(
      `Vous n’êtes plus administrateur du compte Smart pour lequel votre consentement était demandé`,
    );
    expect(card).not.toContain('Approuver');
    const alice = await consoleSession(database.db, 'alice', ['inbox']);
    expect(alice).toContain('Approuver');
    // Paul, who waits on them, reads once who can no longer answer, why, and who still can.
    const told = `Transaction ${id} still waits for consent, but Carol Durand can no longer answer.`;
    const paul = await consoleSession(database.db, 'paul', ['inbox']);
    expect(paul.split(told)).toHaveLength(2);
    expect(paul).toContain('Carol Durand (transferor) can no longer answer: Ada Admin took away their role');
    expect(paul).toContain('Still awaited: the transferee’s consent, from Bob Peeters.');
    expect(paul).toContain('Still awaited: the transferor’s consent, from Alice Martin.');
    // Another change of roles that leaves this transfer as it was tells him nothing more; her role given
    // back, he reads that too, once.
    await consoleSession(database.db, 'ada', ['grant eve@nowhere.example user fr-b.example']);
    expect((await consoleSession(database.db, 'paul', ['inbox'])).split(told)).toHaveLength(2);
    await consoleSession(database.db, 'ada', ['grant carol@fr.example admin fr-a.example']);
    const again = await consoleSession(database.db, 'paul', ['inbox']);
    expect(again.split(`Transaction ${id}: Carol Durand can answer again.`)).toHaveLength(2);
    expect(again).toContain('Carol Durand (transferor) can answer again: Ada Admin gave them back the role');

    // Alice and Bob consent: the screening waits for compliance.
    await consoleSession(database.db, 'alice', [`consent ${id} approve`]);
    await consoleSession(database.db, 'bob', [`consent ${id} approve`]);
    // An import makes Eve a compliance officer in Cora's place.
    const file = join(dir, 'officers.json');
    writeFileSync(
      file,
      JSON.stringify({
        users: [
          { email: EMAILS.cora, name: 'Cora Compliance', globalRoles: [] },
          { email: EMAILS.eve, name: 'Eve Nobody', globalRoles: ['compliance'] },
        ],
      }),
    );
    await importFile(testDeps(database.db), file);
    const eve = await consoleSession(database.db, 'eve', ['inbox']);
    expect(eve.split(`Compliance screening requested for transaction ${id}`)).toHaveLength(2);
    expect(eve).toContain('[1] Approve');
  });
});
