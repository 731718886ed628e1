import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenses, outbox, users } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { dispatch } from '../../src/app/dispatch.js';
import { requestTransfer } from '../../src/app/request.js';
import { tr } from '../../src/i18n/index.js';
import type { Msg } from '../../src/i18n/msg.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { toParis } from '../support/transfers.js';
import { actorIn, seededDatabase, type testDeps } from '../support/world.js';

/**
 * Given two people holding `licensing_ops` (Olga reads English, Sam Japanese), when a transfer ends as
 * Transfer Completed with Failure, then each of them is sent one direct message in their language naming the
 * transaction, its accounts, what failed and how to retry it; a retry, and a transfer that moves everything,
 * tell them nothing more.
 */
describe.each(drivers)('licensing operations are told of a transfer to retry (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  const upgrade = (pendingUpgrade: boolean) =>
    database.db.update(licenses).set({ pendingUpgrade }).where(eq(licenses.salesOrder, '100'));
  /** What the outbox holds for licensing operations about this transfer. */
  const toldOps = async (id: string) =>
    (
      await database.db
        .select()
        .from(outbox)
        .where(like(outbox.dedupeKey, `${id}:licensing_ops%`))
    ).sort((a, b) => a.recipientUserId! - b.recipientUserId!);

  /** Alice moves the assets to fr-b.example (the same company: it runs on submission). */
  async function transfer(refs: string[], failing: boolean): Promise<string> {
    const alice = await actorIn(deps, 'alice');
    const requested = await requestTransfer(deps, alice, {
      ...toParis(refs[0]!),
      assets: refs.flatMap((ref) => toParis(ref).assets),
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await upgrade(failing);
    const submitted = await submitTransfer(deps, alice, id);
    expect(submitted.ok && submitted.value.status).toBe(
      failing ? 'transfer_completed_with_failure' : 'transfer_completed',
    );
    return id;
  }

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    await database.db.insert(users).values({
      email: 'sam@ops.example',
      name: 'Sam Okafor',
      locale: 'ja',
      legalEntityId: 'cisco',
      globalRoles: ['licensing_ops'],
    });
  });
  afterAll(() => database.dispose());

  it('sends each of them one message, in their language, when a transfer ends with failures', async () => {
    const id = await transfer(['SO:100-2', 'SN:FOC0001'], true);
    const told = await toldOps(id);
    const [olga, sam] = await Promise.all(
      ['olga@ops.example', 'sam@ops.example'].map((email) => deps.store.users.findUser({ email })),
    );
    expect(told.map((r) => r.recipientUserId)).toEqual([olga!.id, sam!.id].sort((a, b) => a - b));
    const said = (locale: 'en' | 'ja', row: (typeof told)[number]) =>
      [row.payload.text!, ...(row.payload.lines ?? [])].map((m: Msg) => tr(locale, m));
    const olgaRow = told.find((r) => r.recipientUserId === olga!.id)!;
    expect(said('en', olgaRow)).toEqual([
      `Transaction ${id} (fr-a.example → fr-b.example) is now “Transfer Completed with Failure”: 1 item ` +
        `could not be transferred. As licensing operations, you can retry it with \`retry ${id}\`.`,
      '1 of 2 items moved; 1 failed.',
      'Failed: SO:100-2: has a pending upgrade: finish the upgrade first.',
    ]);
    const samRow = told.find((r) => r.recipientUserId === sam!.id)!;
    expect(said('ja', samRow)[0]).toBe(
      `トランザクション ${id}（fr-a.example → fr-b.example）のステータスが「転送完了（一部失敗）」になりました。` +
        `1件のアイテムを転送できませんでした。ライセンシングオペレーションチームのメンバーとして、\`retry ${id}\` で再試行できます。`,
    );
    expect(said('ja', samRow)[2]).toContain('SO:100-2');

    // A retry that leaves it failing, then one that completes it: nobody at licensing operations is told again.
    const olgaActor = await actorIn(deps, 'olga');
    const still = await dispatch(deps, olgaActor, { type: 'retry', transactionId: id });
    expect(still.kind === 'transfer' && still.view.status).toBe('transfer_completed_with_failure');
    await upgrade(false);
    const done = await dispatch(deps, olgaActor, { type: 'retry', transactionId: id });
    expect(done.kind === 'transfer' && done.view.status).toBe('transfer_completed');
    expect((await toldOps(id)).map((r) => r.id)).toEqual(told.map((r) => r.id));
  });

  it('tells them nothing when every item moves', async () => {
    const id = await transfer(['SO:105-1'], false);
    expect(await toldOps(id)).toEqual([]);
  });
});
