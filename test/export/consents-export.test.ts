import { describe, expect, it } from 'vitest';
import { consentTransfer, expireTransfer, submitTransfer } from '../../src/app/actions.js';
import { exportWorkbook } from '../../src/app/export.js';
import { requestTransfer } from '../../src/app/request.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { drivers } from '../support/db.js';
import { actor, EMAILS } from '../support/world.js';
import { readWorkbook, table, useExportWorld } from './support.js';

describe.each(drivers)('the consents in a transaction’s Excel file (%s)', (driver) => {
  const world = useExportWorld(driver);

  it('tells the first transferor’s answer once, under them, where every eligible transferor was asked', async () => {
    const { deps, database } = world;
    const [paul, carol] = await Promise.all([actor(database.db, 'paul'), actor(database.db, 'carol')]);
    // Paul, a partner, names no transferor: Alice and Carol are both asked; Carol answers first.
    const requested = await requestTransfer(deps, paul, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:105-1')!],
      sameCompany: false,
      transferee: EMAILS.bob,
      justification: 'Brussels office',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    const submitted = await submitTransfer(deps, paul, id);
    expect(submitted.ok && submitted.value.consents.filter((c) => c.role === 'transferor')).toHaveLength(2);
    const consented = await consentTransfer(deps, carol, id, 'approve');
    expect(consented.ok && consented.value.status).toBe('awaiting_consent');

    const file = await exportWorkbook(
      deps,
      paul,
      { kind: 'transaction', transactionId: id },
      { reader: { locale: 'en', timeZone: 'UTC' } },
    );
    if (!file.ok) throw new Error(file.refusal.message.key);
    const summary = (await readWorkbook(file.value.path)).getWorksheet('Summary')!;
    const consents = table(summary)
      .filter((row) => String(row['Field']).startsWith('Consent of the'))
      .map((row) => [row['Field'], String(row['Value']).replace(/ on .*$/, '')]);
    expect(consents).toEqual([
      ['Consent of the transferee (Bob Peeters)', 'Awaiting Bob Peeters'],
      ['Consent of the transferor (Carol Durand)', 'approved by Carol Durand'],
    ]);
  });

  /**
   * Paul names Alice as transferor; neither she nor Bob answers, and the consents are not given in time.
   * Bob answers too late: refused, as the transfer no longer awaits consent.
   */
  async function expiredWithALateAnswer(ref: string): Promise<string> {
    const { deps, database } = world;
    const [paul, bob] = await Promise.all([actor(database.db, 'paul'), actor(database.db, 'bob')]);
    const requested = await requestTransfer(deps, paul, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef(ref)!],
      sameCompany: false,
      transferee: EMAILS.bob,
      transferor: EMAILS.alice,
      justification: 'Brussels office',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    expect((await submitTransfer(deps, paul, id)).ok).toBe(true);
    const expired = await expireTransfer(deps, id, new Date(deps.now().getTime() - 60 * 86_400_000));
    expect(expired.ok && expired.value.state.status).toBe('cancelled');
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(false);
    return id;
  }

  it('tells a consent the transfer moved on without as no longer awaited', async () => {
    const id = await expiredWithALateAnswer('SO:104-1');
    const file = await exportWorkbook(
      world.deps,
      await actor(world.database.db, 'paul'),
      { kind: 'transaction', transactionId: id },
      { reader: { locale: 'en', timeZone: 'UTC' } },
    );
    if (!file.ok) throw new Error(file.refusal.message.key);
    const workbook = await readWorkbook(file.value.path);
    const summary = table(workbook.getWorksheet('Summary')!);
    expect(
      summary.filter((row) => String(row['Field']).startsWith('Consent of the')).map((r) => r['Value']),
    ).toEqual(['Not answered (no longer awaited)', 'Not answered (no longer awaited)']);
    // The JSON says the same: nobody can answer any more.
    const json = transferJson((await loadTransferView(world.deps, id, null))!);
    expect(json.consents).toEqual([
      expect.objectContaining({ role: 'transferee', decision: null, canAnswer: false }),
      expect.objectContaining({ role: 'transferor', decision: null, canAnswer: false }),
    ]);
  });

  it('gives a refused attempt in the JSON the reason the file’s history gives, and its code beside it', async () => {
    const id = await expiredWithALateAnswer('SN:FOC0001');
    const file = await exportWorkbook(
      world.deps,
      await actor(world.database.db, 'paul'),
      { kind: 'transaction', transactionId: id },
      { reader: { locale: 'en', timeZone: 'UTC' } },
    );
    if (!file.ok) throw new Error(file.refusal.message.key);
    const refusedRow = table((await readWorkbook(file.value.path)).getWorksheet('Transaction history')!).find(
      (row) => row['Action'] === 'Refused: give consent',
    );
    expect(refusedRow?.['Reason']).toBe('not possible in this status');
    const history = transferJson((await loadTransferView(world.deps, id, null))!).history as Record<
      string,
      unknown
    >[];
    expect(history.find((row) => row['action'] === 'refused.consent.approve')).toMatchObject({
      actor: EMAILS.bob,
      reason: 'not possible in this status',
      code: 'wrong_status',
    });
    expect(history.find((row) => row['action'] === 'expire')).toMatchObject({
      reason: 'Consent not given in time.',
      code: null,
    });
  });
});
