import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { cancelTransfer, consentTransfer, expireTransfer, screenTransfer } from '../../src/app/actions.js';
import { runReminderSweep } from '../../src/schedule/reminders.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { actorIn, EMAILS, seededDatabase, type testDeps } from '../support/world.js';
import { workingDayReminders } from '../support/reminders.js';

const D = 24 * 3600 * 1000;

/**
 * A transaction read in French and Japanese after the things that used to leak stored words: refused
 * attempts, a consent reminder, and a rejection given without a reason. Nothing the reader sees is a key.
 */
describe.each(surfaceDrivers)('a transaction’s record in the console (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let id: string;

  async function session(as: string, lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    input.end(`${lines.join('\n')}\n`);
    expect(await runConsole({ deps, input, output, interactive: false, as })).toBe(0);
    return out;
  }

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    id = await awaitingConsent(deps, 'SO:100-1');
    const [carol, cora, bob] = [
      await actorIn(deps, 'carol'),
      await actorIn(deps, 'cora'),
      await actorIn(deps, 'bob'),
    ];
    // Carol administers the source but did not ask: she may not cancel. Compliance may not screen yet.
    expect((await cancelTransfer(deps, carol, id)).ok).toBe(false);
    expect((await screenTransfer(deps, cora, id, 'approve')).ok).toBe(false);
    // Two days later, at 09:00 in Paris, Bob is reminded; then he rejects without a reason.
    deps.advance(2 * D);
    const settings = workingDayReminders('Europe/Paris');
    const swept = await runReminderSweep(deps, settings, deps.now());
    expect(Object.values(swept).some((n) => typeof n === 'number' && n > 0)).toBe(true);
    expect((await consentTransfer(deps, bob, id, 'reject', null)).ok).toBe(true);
  });
  afterAll(() => database.dispose());

  const KEY_LIKE = /\b[a-z]+:[a-zA-Z_]+(?:\.[\w-]+)+/;
  const STORED =
    /\b(?:refused|reminder|consent|screen|delivery)\.[a-z]+|wrong_status|forbidden|not_transferred|\{\{/;

  it('reads in French for the requester, with no key and no stored word', async () => {
    const out = await session(EMAILS.alice, [`show ${id}`]);
    expect(out).not.toMatch(KEY_LIKE);
    expect(out).not.toMatch(STORED);
    expect(out).toContain('Tentative refusée\u00a0: annuler — non autorisé pour cette personne');
    expect(out).toContain('Tentative refusée\u00a0: approuver au contrôle de conformité');
    expect(out).toContain('Rappel n°\u00a01 de consentement envoyé');
    expect(out).toContain('Bob Peeters (cessionnaire) a rejeté la demande sans donner de motif.');
    expect(out).toContain('Non transféré');
    expect(out).not.toMatch(/: $/m);
  });

  it('reads in Japanese for compliance, with no key and no stored word', async () => {
    const out = await session(EMAILS.cora, [`show ${id}`]);
    expect(out).not.toMatch(KEY_LIKE);
    expect(out).not.toMatch(STORED);
    expect(out).toContain('実行できなかった操作：キャンセル');
    expect(out).toContain('同意のリマインダーを送信（1回目）');
    expect(out).toContain('理由を示さずにリクエストを却下しました。');
    expect(out).toContain('未転送');
    // Japanese brackets, full-width and without a space, around the person asked and the surface used.
    expect(out).toMatch(/譲受人（転送先）（Bob Peeters）：/);
    expect(out).toContain('alice@fr.example（コンソール）');
    expect(out).not.toMatch(/ \((?:Bob Peeters|コンソール|自動処理)\)/);
  });

  it('explains every status, in Japanese, and says where to get help', async () => {
    const statuses = await session(EMAILS.cora, ['help statuses']);
    expect(statuses).toContain('各ステータスの意味');
    expect(statuses).toContain('コンプライアンス審査で却下');
    expect(statuses).not.toMatch(KEY_LIKE);
    const support = await session(EMAILS.alice, ['help support']);
    expect(support).toContain('Où obtenir de l’aide\u00a0:');
    expect(support).toContain('https://mycase.cloudapps.cisco.com/case');
    deps.config.supportContact = 'Service IT : poste 4242';
    try {
      expect(await session(EMAILS.alice, ['help support'])).toContain('Service IT : poste 4242');
    } finally {
      delete deps.config.supportContact;
    }
  });

  it('names the Smart Accounts in the reader’s brackets: full-width in Japanese, as before in French and English', async () => {
    const ja = await session(EMAILS.cora, [`show ${id}`, 'list fr-a.example']);
    expect(ja).toContain('転送元：Lumière Lyon（fr-a.example）');
    expect(ja).toContain('転送先：Lumière Belgique（be.example/DEFAULT）');
    expect(ja).toContain('Lumière Lyon（fr-a.example） → Lumière Belgique（be.example）');
    expect(ja).not.toMatch(/ \((?:fr-a|be)\.example/);
    const fr = await session(EMAILS.alice, [`show ${id}`, 'list fr-a.example', 'accounts']);
    expect(fr).toContain('Source\u00a0: Lumière Lyon (fr-a.example)');
    expect(fr).toContain('Destination\u00a0: Lumière Belgique (be.example/DEFAULT)');
    expect(fr).toContain('Lumière Lyon (fr-a.example) → Lumière Belgique (be.example)');
    expect(fr).toMatch(/^Lumière Paris \(fr-b\.example\) — /m);
    const en = await session(EMAILS.bob, [`show ${id}`, 'accounts']);
    expect(en).toContain('Source: Lumière Lyon (fr-a.example)');
    expect(en).toMatch(/^Lumière Belgique \(be\.example\) — /m);
  });

  it('shows what the status means under it', async () => {
    const out = await session(EMAILS.alice, [`show ${id}`]);
    expect(out).toMatch(new RegExp(`${id} — Annulé\n  \\S`));
  });

  it('lists assets with what people search them by, and inventory values in the reader’s language', async () => {
    const fr = await session(EMAILS.alice, ['assets fr-a.example licenses']);
    expect(fr).toMatch(/SO:100-1 .*Smart.*Commande Web WO-1 · Abonnement Sub-1/);
    expect(fr).toMatch(/SO:104-1 .*PAK PAK-1/);
    expect(fr).toContain('↳ 1.1 C9300-DNA-E-24 ×10');
    const ja = await session(EMAILS.cora, ['assets fr-a.example licenses']);
    expect(ja).toMatch(/SO:100-1 .*スマート.*Webオーダー WO-1 · サブスクリプション Sub-1/);
    expect(ja).not.toMatch(/\bsmart\b/);
  });

  it('shows consenters the request form: the transferee company and who accepted the terms, when', async () => {
    const out = await session(EMAILS.alice, [`show ${id}`]);
    expect(out).toContain('Conditions générales acceptées par Alice Martin le 23 nov. 2026, 08:00 UTC');
    expect(out).toContain('L’entreprise du cessionnaire accepte les licences');
    const ja = await session(EMAILS.cora, [`show ${id}`]);
    expect(ja).toContain('2026年11月23日');
    expect(ja).toContain('Alice Martin さんが利用規約に同意しました');
  });

  it('no longer says a consent is awaited once the transfer was cancelled without it', async () => {
    const expiring = await awaitingConsent(deps, 'SO:104-1');
    const expired = await expireTransfer(deps, expiring, new Date(deps.now().getTime() - 60 * D));
    expect(expired.ok && expired.value.state.status).toBe('cancelled');
    const fr = await session(EMAILS.alice, [`show ${expiring}`]);
    expect(fr).toContain('Cessionnaire (Bob Peeters)\u00a0: Pas de réponse (plus attendue)');
    expect(fr).not.toContain('Pas encore de réponse');
    const ja = await session(EMAILS.cora, [`show ${expiring}`]);
    expect(ja).toContain('譲受人（転送先）（Bob Peeters）：未回答（回答は不要になりました）');
  });
});
