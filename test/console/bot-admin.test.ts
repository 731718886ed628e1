import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { consoleSession } from '../support/journeys.js';
import { awaitingConsent, statusOf } from '../support/transfers.js';
import { seedWorld, testDeps } from '../support/world.js';

/** Ada is the bot admin, administers nothing, and reads French. */
describe('a bot admin at the console', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it('opens and downloads the transfer her revocation cancelled, told in the singular, and may not act on it', async () => {
    const id = await awaitingConsent(testDeps(database.db), 'SO:104-1');
    const out = await consoleSession(database.db, 'ada', [
      'revoke bob@be.example admin be.example',
      `show ${id}`,
      `export ${id}`,
      `cancel ${id}`,
    ]);
    expect(out).toContain(
      'Bob Peeters (bob@be.example) n’a plus le rôle «\u00a0Administrateur du compte Smart\u00a0» sur Lumière Belgique (be.example). ' +
        `Transaction annulée, car un consentement qu’elle attendait ne peut plus être donné\u00a0: ${id}.`,
    );
    expect(await statusOf(database.db, id)).toBe('cancelled');
    // `show` prints the transfer, its history naming her as who cancelled it; `export` writes its file.
    expect(out).toContain(`> show ${id}\n${id} — Annulé\n`);
    expect(out).toMatch(/ada@ops\.example \(Console\) {2}Consentement devenu impossible/u);
    expect(out).toContain('[1] Télécharger');
    expect(out).toMatch(new RegExp(`Fichier Excel prêt\u00a0: ${id}-[^\\n]*\\.xlsx`, 'u'));
    expect(out).not.toContain(translate('fr', 'core:refusal.notFound', { id }));
    // Reading is all: she is not its requester.
    expect(out).toContain(translate('fr', 'core:refusal.onlyRequester.cancel', { id }));
  });

  it('is told she administers no Smart Account, and that none matches only when she typed something', async () => {
    const out = await consoleSession(database.db, 'ada', ['accounts', 'accounts lumière']);
    expect(out).toContain('Vous n’administrez aucun compte Smart.\n');
    expect(out).toContain('Vous n’administrez aucun compte Smart correspondant.');
    expect(out.match(/aucun compte Smart correspondant/gu)).toHaveLength(1);
  });

  it('reads the role a grant replaced, and that the last bot admin stays, in correct French', async () => {
    const out = await consoleSession(database.db, 'ada', [
      'grant carol@fr.example user fr-a.example',
      'revoke ada@ops.example bot_admin',
    ]);
    expect(out).toContain(
      'Carol Durand (carol@fr.example) a désormais le rôle «\u00a0Utilisateur du compte Smart\u00a0» sur Lumière Lyon (fr-a.example), ' +
        'à la place du rôle «\u00a0Administrateur du compte Smart\u00a0»\u00a0: une personne a un seul rôle par compte Smart.',
    );
    expect(out).toContain(
      'Ada Admin (ada@ops.example) est la dernière personne à avoir le rôle «\u00a0Administrateur du bot\u00a0»\u00a0: ' +
        'sans ce rôle, plus personne ne pourrait attribuer de rôles. Donnez-le d’abord à quelqu’un d’autre\u00a0; rien n’a été modifié.',
    );
  });
});
