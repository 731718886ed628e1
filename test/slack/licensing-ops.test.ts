import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { licenses, users } from '../../db/schema.js';
import { retryTransfer } from '../../src/app/retry.js';
import { loadActor } from '../../src/app/identity.js';
import { formatDateTime } from '../../src/i18n/index.js';
import { addBigOrder, blockLines } from '../support/big-order.js';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, click, ONE_LINE, SLACK, text, useSlack, type SlackHarness } from './harness.js';

/** Olga, licensing operations, reads English; Slack finds her by e-mail. */
const OLGA = { id: 'UOLGA', email: 'olga@ops.example', locale: 'en-US', tz: 'UTC' };

/** A same-company request from fr-a to fr-b of the assets named. */
const sameCompany = (assets: string) =>
  ONE_LINE.replace('<http://be.example/DEFAULT|be.example/DEFAULT>', 'fr-b.example/DEFAULT')
    .replace('same-company:no', 'same-company:yes')
    .replace(/ transferee:\S+ justification:"[^"]*" terms:accept/, '')
    .replace('SO:100-1,SN:FOC0002', assets);

/** A `/transfer` line's answer: its notification text and its blocks, as one text. */
async function answer(h: SlackHarness, userId: string, line: string) {
  const since = h.api.count();
  const { responseUrl } = await h.slash(userId, line);
  const call = await answerTo(h, responseUrl, { since });
  return { notification: String(call.args.text), blocks: text(call), call };
}

describe.each(surfaceDrivers)('Slack: what licensing operations and compliance read (%s)', (driver) => {
  const h = useSlack(driver);

  /** Alice moves lines of sales order 980 to Paris, those blocked failing; returns the transaction id. */
  async function failedTransfer(lines: string, blocked: number[]): Promise<string> {
    const created = await answer(h, SLACK.alice.id, sameCompany(lines));
    const id = /AT-[0-9A-Z]{8}/.exec(created.notification)?.[0];
    if (!id) throw new Error(created.notification);
    await blockLines(h.database.db, '980', blocked);
    await answer(h, SLACK.alice.id, `submit ${id}`);
    expect(await h.status(id)).toBe('transfer_completed_with_failure');
    return id;
  }

  it('names people in Japanese as every surface does, the address in full-width brackets, still a link', async () => {
    await addBigOrder(h.database.db, { salesOrder: '980', lines: 6, inUse: [] });
    const id = await failedTransfer('SO:980-1,SO:980-2', [2]);
    const shown = await answer(h, SLACK.cora.id, `show ${id}`);
    expect(shown.blocks).toContain('Alice Martin（<mailto:alice@fr.example|alice@fr.example>）');
    expect(shown.blocks).not.toContain('Alice Martin <mailto:');
    // In English the brackets are the language's too, escaped for Slack.
    h.api.addPerson(OLGA);
    const olga = await answer(h, OLGA.id, `show ${id}`);
    expect(olga.blocks).toContain('Alice Martin &lt;<mailto:alice@fr.example|alice@fr.example>&gt;');
  });

  it('tells Olga, licensing operations, in a direct message that a transfer needs a retry, once', async () => {
    h.api.addPerson(OLGA);
    const id = await failedTransfer('SO:980-5,SO:980-6', [6]);
    const toOlga = () =>
      h.api
        .calls('chat.postMessage')
        .filter(
          (c) => String(c.args.text).includes(`retry ${id}`) && !String(c.args.channel).startsWith('C'),
        );
    await h.deliver();
    expect(toOlga()).toHaveLength(1);
    const [told] = toOlga();
    expect(String(told!.args.text)).toContain(
      `Transaction ${id} (fr-a.example → fr-b.example) is now “Transfer Completed with Failure”: 1 item could ` +
        `not be transferred. As licensing operations, you can retry it with \`retry ${id}\`.`,
    );
    expect(text(told!)).toContain('Failed: SO:980-6:');
    // Her retry that leaves it failing tells her nothing again.
    await answer(h, OLGA.id, `retry ${id}`);
    await h.deliver();
    expect(toOlga()).toHaveLength(1);
  });

  it('titles a compliance officer’s list, notification and heading alike, as every transaction', async () => {
    const listed = await answer(h, SLACK.cora.id, 'list');
    expect(listed.notification).toBe('すべてのトランザクション');
    expect(listed.blocks).toContain('*すべてのトランザクション*');
  });

  it('a Retry clicked after someone else retried says, first, who moved the transfer on and when', async () => {
    h.api.addPerson(OLGA);
    const id = await failedTransfer('SO:980-3,SO:980-4', [4]);
    // Olga's reply to `show`, with its Retry button; Sam Okafor retries the transfer meanwhile.
    const responseUrl = h.api.responseUrl();
    await h.database.db.insert(users).values({
      email: 'sam@ops.example',
      name: 'Sam Okafor',
      legalEntityId: 'cisco',
      globalRoles: ['licensing_ops'],
    });
    const sam = await h.deps.store.users.findUser({ email: 'sam@ops.example' });
    await h.database.db
      .update(licenses)
      .set({ pendingUpgrade: false })
      .where(and(eq(licenses.salesOrder, '980'), eq(licenses.line, '4')));
    const retried = await retryTransfer(h.deps, await loadActor(h.deps, sam!, 'teams'), id);
    expect(retried.ok && retried.value.status).toBe('transfer_completed');

    const since = h.api.count();
    await h.interact(
      click(
        OLGA.id,
        { action_id: 'transfer_retry', value: id },
        { channel: 'DUOLGA', ts: '1700000003.000100', ephemeral: true, responseUrl },
      ),
    );
    const redrawn = await answerTo(h, responseUrl, { since });
    const [byRetry] = await h.history(id, 'retry');
    expect(String(redrawn.args.text)).toBe(
      `Transaction ${id} is “Transfer Completed”: you cannot retry it now. ` +
        `Sam Okafor moved it on from “Transfer Completed with Failure” on ${formatDateTime(byRetry!.at, 'en', 'UTC')}.`,
    );
    // Said first, above the transfer as it is now.
    expect(text(redrawn).indexOf('Sam Okafor moved it on')).toBeLessThan(text(redrawn).indexOf('SO:980-3'));
    expect(text(redrawn)).not.toContain('transfer_retry');
  });
});
