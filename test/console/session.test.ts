import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { adminOfMany } from '../support/many-accounts.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS, seedWorld, testDeps } from '../support/world.js';

/** Runs a scripted console session (standard input not a terminal) and returns what it printed. */
async function session(
  database: TestDatabase,
  as: string,
  lines: string[],
): Promise<{ code: number; out: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  input.end(`${lines.join('\n')}\n`);
  const code = await runConsole({
    deps: testDeps(database.db),
    input,
    output,
    interactive: false,
    as,
  });
  return { code, out };
}

describe('the console', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it('says `accounts` lists 50 of 63 Smart Accounts and how many more match; a search finds them', async () => {
    await adminOfMany(database, 'sixty@be.example', 'sixty', 62);
    const { out } = await session(database, 'sixty@be.example', ['accounts', 'accounts zulu']);
    const [all, found] = out.split('Zulu Warehouse (sixty-zulu.example)');
    expect(all).toContain('Site 49 (sixty49.example)');
    expect(all).not.toContain('Site 50 (sixty50.example)');
    expect(all).toContain('13 more Smart Accounts are not listed: type accounts TEXT');
    expect(found).toBeDefined();
    expect(found).not.toContain('more Smart Account');
  });

  it('walks the request wizard in the journey’s order, re-asking only the step answered wrongly', async () => {
    const { code, out } = await session(database, EMAILS.alice, [
      'new',
      'Lyon', // source Smart Account, by part of its name
      '7', // not in the list: the destination is asked again
      'be.example/DEFAULT', // destination as SA/VA
      'n', // another legal entity
      'bob@be.example', // the transferee
      'SO:101-1', // an Enterprise Agreement license cannot move: the asset step is asked again
      'SO:105-1, SN:FOC0001',
      'Brussels office opening',
      'o', // terms
      'oui', // review: submit for review
    ]);
    expect(code).toBe(0);
    // Alice reads French.
    expect(out).toContain('Aucun compte Smart que vous administrez ne correspond à «\u00a07\u00a0».');
    expect(out).toContain('[2] Lumière Lyon (fr-a.example) (la source)');
    // The source's Virtual Accounts are listed, an On-Prem one saying so (its devices cannot move).
    expect(out).toContain('      Lab (On-Prem) — Licences\u00a0: 0 · Périphériques\u00a0: 1');
    expect(out).toContain('✗ SN:FOC0003');
    expect(out).toContain('SO:101-1\u00a0: ');
    // Every answer before the bad one was kept: the request went through with them.
    expect(out).toContain('Raison sociale du cessionnaire\u00a0: Lumière Réseaux Belgique SA');
    expect(out).toContain('Licences\u00a0: 1 · Périphériques\u00a0: 1');
    expect(out).toMatch(/Transaction AT-[0-9A-Z]{8} créée, au statut «\u00a0Envoi en attente\u00a0»/);
    // French typography in the console's own labels: a no-break space before the colon.
    expect(out).toContain('Cessionnaire\u00a0: Bob Peeters <bob@be.example>');
    expect(out).toContain('Source\u00a0: ');
    expect(out).not.toMatch(/[\p{L}] ?: /u);
    expect(out).toContain('(oui/non)');
    expect(out).toContain('Système (Console)');
    expect(out).not.toContain('system');
    expect(out).toContain('[2] Soumettre pour transfert');
  });

  it('takes every eligible license of the source and shows the review before creating anything', async () => {
    const { out } = await session(database, EMAILS.alice, [
      'new',
      'fr-a.example',
      'fr-b.example',
      'yes',
      'licenses',
      'no', // not confirmed: asked again
      '.',
    ]);
    expect(out).toContain('Vérification\u00a0:');
    expect(out).toContain('Laissés de côté, non éligibles');
    expect(out).toContain('Répondez oui pour envoyer pour révision');
    expect(out).toContain('Demande abandonnée\u00a0: rien n’a été créé.');
  });

  it('says at once when there is no other account to transfer to', async () => {
    // Carol administers one Smart Account only.
    const { out } = await session(database, EMAILS.carol, ['new', 'fr-a.example']);
    expect(out).toContain('Aucun autre compte Smart que vous administrez ne peut recevoir');
    expect(out).not.toContain('Compte Smart et compte virtuel de destination');
  });

  it('keeps the answers when input ends, and offers them to the next `new`: Continue, Start over', async () => {
    const kept = translate('fr', 'console:wizard.kept');
    const left = await session(database, EMAILS.alice, ['new', 'fr-a.example']);
    expect(left.code).toBe(0);
    expect(left.out).toContain(kept);
    expect(left.out).not.toContain('Demande abandonnée');

    // `new` alone offers it, saying when it was started and how far it got; 1 continues where it was.
    const resumed = await session(database, EMAILS.alice, ['new', '1']);
    expect(resumed.out).toMatch(
      /Vous avez une demande en cours, commencée le \d+ nov\. 2026, \d\d:\d\d UTC \(fr-a\.example → …\)\./,
    );
    expect(resumed.out).toContain('[1] Continuer  [2] Recommencer');
    expect(resumed.out).not.toContain('Compte Smart source');
    expect(resumed.out).toContain('Compte Smart et compte virtuel de destination');

    // 2 starts over: the source is asked again; a single dot then discards the draft.
    const over = await session(database, EMAILS.alice, ['new', '2', '.']);
    expect(over.out).toContain('Compte Smart source');
    expect(over.out).toContain('Demande abandonnée\u00a0: rien n’a été créé.');
    const fresh = await session(database, EMAILS.alice, ['new']);
    expect(fresh.out).not.toContain('Vous avez une demande en cours');
    expect(fresh.out).toContain('Compte Smart source');
  });

  it('replaces the request in progress when `new` gives options, saying so; the old offer’s button then says it is gone', async () => {
    await session(database, EMAILS.alice, ['new', 'fr-a.example']);
    const { out } = await session(database, EMAILS.alice, ['new', 'new from:be.example', '.', '1']);
    expect(out).toContain(`⚠ ${translate('fr', 'core:journey.inProgress.replaced')}`);
    expect(out).toContain(`✖ ${translate('fr', 'core:journey.error.draftGone')}`);
    const after = await session(database, EMAILS.alice, ['new']);
    expect(after.out).not.toContain('Vous avez une demande en cours');
  });

  it('asks the transferor of a partner’s request to view and consent, and the partner only to view', async () => {
    // Paul (a partner) asks; Alice, an admin of the source for its own company, must consent as transferor.
    const id = await awaitingConsent(testDeps(database.db), 'SO:100-1', { requester: 'paul' });
    const transferor = await session(database, EMAILS.alice, ['list']);
    expect(transferor.out).toContain(`${id}  Soumis – En attente du consentement du cédant/cessionnaire ★`);
    expect(transferor.out).toMatch(new RegExp(`\\[\\d+\\] Afficher / Donner le consentement ${id}`));
    const partner = await session(database, EMAILS.paul, ['list']);
    expect(partner.out).not.toContain('★');
    expect(partner.out).toMatch(new RegExp(`\\[\\d+\\] View ${id}`));
  });

  it('answers a mistyped command by naming the word, and an unknown user by saying so', async () => {
    const typo = await session(database, EMAILS.bob, ['lsit']);
    expect(typo.out).toContain('lsit');
    const stranger = await session(database, 'nobody@example.com', ['help']);
    expect(stranger.code).toBe(1);
    expect(stranger.out).toContain('nobody@example.com');
  });
});
