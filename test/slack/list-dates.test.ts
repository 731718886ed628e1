import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { answerTo, openHome, SLACK, text, useSlack } from './harness.js';

/** The line of a `list` answer or a Home tab that names the transaction `id`. */
function rowOf(blocks: string, id: string): string {
  const rows = (JSON.parse(blocks) as { text?: { text?: string } }[])
    .map((block) => block.text?.text ?? '')
    .filter((line) => line.includes(`*${id}*`));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/**
 * The dates of a row in Slack's lists are labelled as Teams' list cards label them: Transaction date and
 * Completion date, in Japanese the deck's トランザクション日 and 転送完了日; the `list` answer said 開始/完了
 * (started/completion, créée le/achèvement) where the Home tab and Teams used the portal's words.
 */
describe.each(surfaceDrivers)('Slack: the dates of a list row (%s)', (driver) => {
  const h = useSlack(driver);

  /** The row of `id` in the person's `list` answer and on their Home tab. */
  async function rows(userId: string, id: string): Promise<{ listed: string; home: string }> {
    const since = h.api.count();
    const { responseUrl } = await h.slash(userId, 'list');
    const listed = rowOf(text(await answerTo(h, responseUrl, { since })), id);
    const home = rowOf(JSON.stringify((await openHome(h, userId)).blocks), id);
    return { listed, home };
  }

  it('labels them トランザクション日 and 転送完了日 in Japanese, in the list answer as on the Home tab', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-1');
    // Cora, a compliance officer whose Slack is in Japanese, sees every transaction.
    const { listed, home } = await rows(SLACK.cora.id, id);
    for (const row of [listed, home]) {
      expect(row).toMatch(/トランザクション日：\d{4}/);
      expect(row).toContain('転送完了日：未完了');
    }
    expect(listed).not.toContain('開始：');
    expect(listed).not.toMatch(/· 完了：/);
  });

  it('labels them Transaction date and Completion date in English, and the same words in French', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-2');
    const bob = await rows(SLACK.bob.id, id);
    for (const row of [bob.listed, bob.home]) {
      expect(row).toMatch(/Transaction date: \d/);
      expect(row).toContain('Completion date: Not yet');
    }
    expect(bob.listed).not.toContain('started ');
    const alice = await rows(SLACK.alice.id, id);
    for (const row of [alice.listed, alice.home]) {
      expect(row).toMatch(/Date de la transaction\u00a0: \d/);
      expect(row).toContain('Date d’achèvement\u00a0: Pas encore');
    }
    expect(alice.listed).not.toContain('créée le');
  });
});
