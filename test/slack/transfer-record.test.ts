import { describe, expect, it } from 'vitest';
import { consentTransfer, expireTransfer } from '../../src/app/actions.js';
import type { AppDeps } from '../../src/app/deps.js';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { actorIn } from '../support/world.js';
import { answerTo, openHome, SLACK, text, useSlack, type HomeBlock } from './harness.js';

/** Twelve consent reminders on the record of `id`, as the sweep writes them, a day apart. */
async function twelveReminders(store: AppDeps['store'], id: string) {
  await store.transfers.appendHistory(
    Array.from({ length: 12 }, (_, i) => ({
      transferId: id,
      at: new Date(Date.now() + (i + 1) * 86_400_000),
      actor: 'system',
      surface: 'system',
      action: 'reminder.consent',
      details: { number: i + 1, role: 'transferee', name: 'Bob Peeters' },
    })),
  );
}

describe.each(surfaceDrivers)('Slack: a transfer’s record as people read it (%s)', (driver) => {
  const h = useSlack(driver);

  const show = async (userId: string, id: string) => {
    const since = h.api.count();
    const { responseUrl } = await h.slash(userId, `show ${id}`);
    return text(await answerTo(h, responseUrl, { since }));
  };

  it('gives a transfer that ended without moving no completion date, and an open one “Not yet”', async () => {
    const open = await awaitingConsent(h.deps, 'SO:100-1');
    const refused = await awaitingConsent(h.deps, 'SO:105-1');
    const rejected = await consentTransfer(h.deps, await actorIn(h.deps, 'bob'), refused, 'reject', 'No');
    expect(rejected.ok).toBe(true);

    const cancelled = await show(SLACK.bob.id, refused);
    expect(cancelled).toContain('Cancelled');
    expect(cancelled).toMatch(/\*Completion date\*\\n—/);
    expect(cancelled).not.toContain('Not yet');
    expect(await show(SLACK.bob.id, open)).toMatch(/\*Completion date\*\\nNot yet/);

    const home = (await openHome(h, SLACK.alice.id)).blocks;
    const row = (id: string) => {
      const at = home.findIndex((b: HomeBlock) => b.block_id === `home_row:${id}`);
      return String(home[at - 1]?.text?.text);
    };
    expect(row(refused)).toContain('Date d’achèvement\u00a0: —');
    expect(row(open)).toContain('Date d’achèvement\u00a0: Pas encore');
  });

  it('says on which surface each step of the history was taken, as the console and the Excel file do', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-2');
    const shown = await show(SLACK.bob.id, id);
    expect(shown).toContain('alice@fr.example (Console) · Transfer requested (Validation Initiated)');
    expect(shown).toContain('System (Console) · Assets validated');
    const french = await show(SLACK.alice.id, id);
    expect(french).toContain('alice@fr.example (Console) · Demande de transfert');
  });

  it('keeps the request and the latest steps of a long history, and counts those left out between them', async () => {
    const id = await awaitingConsent(h.deps, 'SO:103-1');
    await twelveReminders(h.deps.store, id);
    const shown = await show(SLACK.bob.id, id);
    expect(shown).toContain('Transfer requested (Validation Initiated)');
    expect(shown).toContain(
      `… 7 earlier entries not shown: the Excel file of ${id} (Download) has the full history.`,
    );
    expect(shown).toContain('Consent reminder 12 sent to Bob Peeters');
    expect(shown).toContain('Consent reminder 4 sent to Bob Peeters');
    expect(shown).not.toContain('Consent reminder 3 sent');
    const requested = shown.indexOf('Transfer requested');
    const note = shown.indexOf('7 earlier entries');
    expect(requested).toBeLessThan(note);
    expect(note).toBeLessThan(shown.indexOf('Consent reminder 4 sent'));
    expect(await show(SLACK.alice.id, id)).toContain(
      `7 entrées antérieures non affichées\u00a0: le fichier Excel de ${id} (Télécharger) contient l’historique complet.`,
    );
  });

  it('no longer says a consent is awaited once the transfer was cancelled without it', async () => {
    const id = await awaitingConsent(h.deps, 'SO:104-1');
    const expired = await expireTransfer(h.deps, id, new Date(Date.now() - 60 * 86_400_000));
    expect(expired.ok && expired.value.state.status).toBe('cancelled');
    const shown = await show(SLACK.bob.id, id);
    expect(shown).toContain('Transferee Bob Peeters: not answered (no longer awaited)');
    expect(shown).not.toContain('consent awaited');
    const french = await show(SLACK.alice.id, id);
    expect(french).toContain('Cessionnaire Bob Peeters\u00a0: pas de réponse (plus attendue)');
    expect(french).not.toContain('consentement attendu');
  });
});
