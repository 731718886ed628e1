import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelTransfer, consentTransfer, screenTransfer } from '../../src/app/actions.js';
import { historyEntryText } from '../../src/app/history-text.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { tr } from '../../src/i18n/index.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, pendingSubmission } from '../support/transfers.js';
import { actorIn, seededDatabase, type testDeps } from '../support/world.js';

/**
 * A transfer that ends without moving says so item by item, with the reason, and has no completion date;
 * a history's refused attempts are for the requester and the bot's staff, not for other consenters.
 */
describe.each(drivers)('transfers that end without moving (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  it('cancelled by the requester: items not transferred, no completion date', async () => {
    const id = await pendingSubmission(deps, 'SO:105-1');
    const alice = await actorIn(deps, 'alice');
    expect((await cancelTransfer(deps, alice, id)).ok).toBe(true);
    const view = (await loadTransferView(deps, id, alice))!;
    expect(view.status).toBe('cancelled');
    expect(view.completedAt).toBeNull();
    expect(view.items.map((i) => i.result)).toEqual(['not_transferred']);
    expect(tr('en', view.items[0]!.reason!)).toBe('Cancelled by Alice Martin.');
  });

  it('consent rejected without a reason: a full sentence, items not transferred', async () => {
    const id = await awaitingConsent(deps, 'SO:100-2');
    const bob = await actorIn(deps, 'bob');
    expect((await consentTransfer(deps, bob, id, 'reject', null)).ok).toBe(true);
    const view = (await loadTransferView(deps, id, bob))!;
    expect(view.completedAt).toBeNull();
    expect(view.items.map((i) => i.result)).toEqual(['not_transferred']);
    const sentences = ['en', 'fr', 'ja'].map((l) => tr(l as 'en', view.cancelReason!));
    expect(sentences).toEqual([
      'Bob Peeters (transferee) rejected the request without giving a reason.',
      'Bob Peeters (cessionnaire) a rejeté la demande sans donner de motif.',
      '譲受人（転送先）の Bob Peeters さんが理由を示さずにリクエストを却下しました。',
    ]);
    expect(tr('fr', view.items[0]!.reason!)).toBe(sentences[1]);
  });

  it('compliance rejected: items not transferred with the screening reason', async () => {
    const id = await awaitingConsent(deps, 'SO:104-1');
    const [bob, cora] = [await actorIn(deps, 'bob'), await actorIn(deps, 'cora')];
    expect((await consentTransfer(deps, bob, id, 'approve', null)).ok).toBe(true);
    expect((await screenTransfer(deps, cora, id, 'reject', 'Denied party match')).ok).toBe(true);
    const view = (await loadTransferView(deps, id, cora))!;
    expect(view.status).toBe('compliance_rejected');
    expect(view.completedAt).toBeNull();
    expect(view.items.map((i) => [i.result, tr('en', i.reason!)])).toEqual([
      ['not_transferred', 'Compliance screening rejected: Denied party match'],
    ]);
  });

  it('shows a refused attempt to the requester, compliance and the person who tried, not to a consenter', async () => {
    const id = await awaitingConsent(deps, 'SN:FOC0001');
    const carol = await actorIn(deps, 'carol');
    expect((await cancelTransfer(deps, carol, id)).ok).toBe(false);
    const refusals = async (name: 'alice' | 'bob' | 'carol' | 'cora' | 'olga') => {
      const view = (await loadTransferView(deps, id, await actorIn(deps, name)))!;
      return view.history
        .filter((h) => h.action.startsWith('refused.'))
        .map((h) => {
          const text = historyEntryText('en', h);
          return `${text.who}: ${text.what} — ${text.reason}`;
        });
    };
    const seen = ['carol@fr.example: Refused: cancel — not allowed for this person'];
    expect(await refusals('alice')).toEqual(seen);
    expect(await refusals('cora')).toEqual(seen);
    expect(await refusals('olga')).toEqual(seen);
    expect(await refusals('carol')).toEqual(seen);
    expect(await refusals('bob')).toEqual([]);
  });
});
