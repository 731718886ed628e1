import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { licenses, users } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { retryTransfer } from '../../src/app/retry.js';
import { loadActor } from '../../src/app/identity.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { addBigOrder } from '../support/big-order.js';
import { cardText, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { submitButtons, teamsUser, useTeamsWorld } from '../support/teams.js';
import { statusOf, toParis } from '../support/transfers.js';
import { actorIn, EMAILS } from '../support/world.js';

/** Olga, licensing operations, reads Japanese in Teams; she administers no Smart Account. */
const olga = teamsUser('olga', 'Olga Ops', EMAILS.olga, 'ja-JP');
const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

type CardBody = { value: AdaptiveCardJson & { body: { text?: string }[] } };

/** Whether a card offers the request wizard (the button that opens its dialog). */
const offersRequest = (card: unknown) =>
  submitButtons(card).some((b) => JSON.stringify(b.data).includes('"task/fetch"'));

describe.each(surfaceDrivers)('Teams: licensing operations in Japanese (%s)', (driver) => {
  const world = useTeamsWorld(driver, [olga, alice]);
  const lastCard = (user: { chat: string }) => world.connector.cards(user.chat).at(-1)?.card;

  /** Puts a pending upgrade on these lines of sales order 970, or takes it off: an item of them fails. */
  const block = (lines: number[], pending = true) =>
    Promise.all(
      lines.map((line) =>
        world.database.db
          .update(licenses)
          .set({ pendingUpgrade: pending })
          .where(and(eq(licenses.salesOrder, '970'), eq(licenses.line, String(line)))),
      ),
    );

  /** Alice moves these lines of 970 to Paris; those blocked after validation fail. Returns the id. */
  async function failedTransfer(lines: number[], failing: number[]): Promise<string> {
    const requester = await actorIn(world.deps, 'alice');
    const requested = await requestTransfer(world.deps, requester, {
      ...toParis(`SO:970-${lines[0]}`),
      assets: lines.map((line) => parseAssetRef(`SO:970-${line}`)!),
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await block(failing);
    await submitTransfer(world.deps, requester, id);
    expect(await statusOf(world.database.db, id)).toBe('transfer_completed_with_failure');
    return id;
  }

  beforeAll(async () => {
    await addBigOrder(world.database.db, { salesOrder: '970', lines: 12, inUse: [] });
  });

  it('offers no Request button to someone who administers no account, and says why, as Slack’s Home tab does', async () => {
    await world.teams.message(olga, 'list');
    const all = lastCard(olga);
    expect(offersRequest(all)).toBe(false);
    expect(cardText(all)).toContain('すべてのトランザクション');
    expect(cardText(all)).toContain(
      '管理しているスマートアカウントはありません。ロールの権限により、すべてのトランザクションを以下に表示します。',
    );
    // One account's page does not claim to hold every transaction.
    await world.teams.message(olga, 'list fr-a.example');
    const one = lastCard(olga);
    expect(offersRequest(one)).toBe(false);
    expect(cardText(one)).toContain(
      '管理しているスマートアカウントがないため、Asset転送をリクエストすることはできません。',
    );
    expect(cardText(one)).not.toContain('すべてのトランザクションを以下に表示します');
    // An administrator still gets the button, and no such line.
    await world.teams.message(alice, 'list');
    expect(offersRequest(lastCard(alice))).toBe(true);
    expect(cardText(lastCard(alice))).not.toContain('do not administer');
  });

  it('heads the items a retry could not move as failing, not as warnings, and counts no failure when all moved', async () => {
    const id = await failedTransfer([1, 2, 3], [1, 2]);
    await block([1], false);
    const partly = await world.teams.execute(olga, 'transfer_retry', { transactionId: id });
    const first = (partly.body as CardBody).value;
    expect(first.body[0]!.text).toContain(
      '失敗したアイテム2件のうち1件を転送しました。1件は引き続き失敗しています。',
    );
    expect(JSON.stringify(first)).toContain('"text":"失敗したアイテム（1）"');
    expect(cardText(first)).toContain('引き続き失敗：SO:970-2：');
    expect(cardText(first)).not.toContain('警告');

    await block([2], false);
    const whole = await world.teams.execute(olga, 'transfer_retry', { transactionId: id });
    const second = (whole.body as CardBody).value;
    expect(second.body[0]!.text).toContain('「転送完了」。失敗したアイテム1件のうち1件を転送しました。');
    expect(second.body[0]!.text).not.toContain('引き続き失敗');
    expect(cardText(second)).not.toContain('0件');
  });

  it('describes Transfer Completed with Failure truthfully when no item moved', async () => {
    const id = await failedTransfer([4], [4]);
    await world.teams.message(olga, `show ${id}`);
    const text = cardText(lastCard(olga));
    expect(text).toContain('転送に失敗したAssetがあります。失敗しなかったAssetは正しく転送されました。');
    expect(text).not.toContain('一部は正しく転送されました');
  });

  it('an old Retry button says first why nothing was done: who retried the transfer, and when', async () => {
    const id = await failedTransfer([5, 6], [5]);
    await world.teams.message(olga, `show ${id}`);
    // Another licensing operator finishes it elsewhere.
    await world.database.db.insert(users).values({
      email: 'sam@ops.example',
      name: 'Sam Okafor',
      legalEntityId: 'cisco',
      globalRoles: ['licensing_ops'],
    });
    const sam = await world.deps.store.users.findUser({ email: 'sam@ops.example' });
    await block([5], false);
    const retried = await retryTransfer(world.deps, await loadActor(world.deps, sam!, 'slack'), id);
    expect(retried.ok && retried.value.status).toBe('transfer_completed');

    const stale = await world.teams.execute(olga, 'transfer_retry', { transactionId: id });
    const card = (stale.body as CardBody).value;
    expect(card.body[0]!.text).toBe(
      `トランザクション ${id} は「転送完了」のため、現在この操作（再試行）はできません。` +
        '2026年11月23日 08:00 UTC に Sam Okafor さんの操作で「転送完了（一部失敗）」から進みました。',
    );
    // The card is the transfer as it is now: no Retry left to press.
    expect(JSON.stringify(card)).not.toContain('transfer_retry');
  });

  it('joins a license’s minor lines with the Japanese list separator', async () => {
    await world.database.db
      .update(licenses)
      .set({
        minorLines: [
          { line: '7.1', pid: 'C9300-DNA-E-24', quantity: 10 },
          { line: '7.4', pid: 'C9300-NW-A-24', quantity: 20 },
        ],
      })
      .where(and(eq(licenses.salesOrder, '970'), eq(licenses.line, '7')));
    await world.teams.message(olga, 'assets fr-a.example licenses 970');
    expect(cardText(lastCard(olga))).toContain('7.1 C9300-DNA-E-24 ×10、7.4 C9300-NW-A-24 ×20');
  });
});
