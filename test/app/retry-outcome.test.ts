import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as consoleReply } from '../../adapters/console/render.js';
import { renderReply as slackReply } from '../../adapters/slack/render/reply.js';
import { renderReply as teamsReply } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { licenses } from '../../db/schema.js';
import { consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import { requestTransfer } from '../../src/app/request.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { tr, type Reader } from '../../src/i18n/index.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { toBelgium } from '../support/transfers.js';
import { slackTexts } from '../support/typography.js';
import { actorIn, seededDatabase, type testDeps } from '../support/world.js';
import { READERS } from '../support/readers.js';

/** The reply as each surface draws it, as text. */
function surfaces(reply: Extract<Reply, { kind: 'transfer' }>, reader: Reader): string[] {
  return [
    consoleReply(reader, reply).text,
    slackTexts(slackReply(reply, reader)),
    cardText(teamsReply(reply, textsFor(reader), 0)),
  ];
}

/**
 * Given a transfer completed with failure (a license got a pending upgrade before it moved), when licensing
 * operations retry it, then the answer says how many of the failed items moved and which still fail and why,
 * on every surface, and the history row of the retry records the outcome.
 */
describe.each(surfaceDrivers)('a retry says what it came to (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let id: string;
  const upgrade = (pendingUpgrade: boolean) =>
    database.db.update(licenses).set({ pendingUpgrade }).where(eq(licenses.salesOrder, '100'));
  const retryRows = async () =>
    ((transferJson((await loadTransferView(deps, id, null))!).history ?? []) as { action: string }[]).filter(
      (row) => row.action === 'retry',
    );

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    const [alice, bob, cora] = await Promise.all(
      ['alice', 'bob', 'cora'].map((n) => actorIn(deps, n as 'bob')),
    );
    const requested = await requestTransfer(deps, alice!, {
      ...toBelgium('SO:100-2'),
      assets: [...toBelgium('SO:100-2').assets, ...toBelgium('SN:FOC0001').assets],
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    id = requested.value.state.id;
    await submitTransfer(deps, alice!, id);
    await consentTransfer(deps, bob!, id, 'approve');
    await upgrade(true);
    const screened = await screenTransfer(deps, cora!, id, 'approve');
    expect(screened.ok && screened.value.status).toBe('transfer_completed_with_failure');
  });
  afterAll(() => database.dispose());

  it('names what still fails, with its reason, when nothing moved', async () => {
    const olga = await actorIn(deps, 'olga');
    const reply = await dispatch(deps, olga, { type: 'retry', transactionId: id });
    expect(reply.kind === 'transfer' && reply.view.status).toBe('transfer_completed_with_failure');
    if (reply.kind !== 'transfer') return;
    expect(tr('en', reply.notice!)).toBe(
      `Transaction ${id}: “Transfer Completed with Failure”. 0 of 1 failed item moved; 1 still failing.`,
    );
    const said = {
      en: [
        '0 of 1 failed item moved; 1 still failing.',
        'Still failing: SO:100-2: has a pending upgrade: finish the upgrade first.',
      ],
      fr: [
        'Éléments en échec transférés\u00a0: 0 sur 1\u00a0; toujours en échec\u00a0: 1.',
        'Toujours en échec\u00a0: SO:100-2\u00a0:',
      ],
      ja: [
        '失敗したアイテム1件のうち0件を転送しました。1件は引き続き失敗しています。',
        '引き続き失敗：SO:100-2：',
      ],
    };
    for (const [locale, reader] of Object.entries(READERS) as [keyof typeof READERS, Reader][])
      for (const shown of surfaces(reply, reader))
        for (const text of said[locale]) expect(shown).toContain(text);
    // The record names the item still failing, with its reason, after the count.
    expect(await retryRows()).toEqual([
      expect.objectContaining({
        from: null,
        to: null,
        reason:
          '0 of 1 failed item moved; 1 still failing. Still failing: SO:100-2: has a pending upgrade: finish the upgrade first.',
      }),
    ]);
  });

  it('says every failed item moved once the asset is fixed, on the row that completes the transfer', async () => {
    await upgrade(false);
    const olga = await actorIn(deps, 'olga');
    const reply = await dispatch(deps, olga, { type: 'retry', transactionId: id });
    if (reply.kind !== 'transfer') throw new Error(reply.kind);
    expect(tr('fr', reply.notice!)).toBe(
      `Transaction ${id}\u00a0: statut «\u00a0Transfert terminé\u00a0». Éléments en échec transférés\u00a0: 1 sur 1.`,
    );
    expect(reply.warnings ?? []).toEqual([]);
    expect((await retryRows()).at(-1)).toMatchObject({
      from: 'transfer_completed_with_failure',
      to: 'transfer_completed',
      reason: '1 of 1 failed item moved. Moved: SO:100-2.',
    });
  });
});
