import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../support/slack-api.js';
import { surfaceDrivers } from '../support/db.js';
import { addBigOrder, blockLines, range } from '../support/big-order.js';
import { answerTo, ONE_LINE, SLACK, useSlack, type SlackHarness } from './harness.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: string }[] };

/** Olga, licensing operations, reads English; Slack finds her by e-mail. */
const OLGA = { id: 'UOLGA', email: 'olga@ops.example', locale: 'en-US', tz: 'UTC' };
/** Paul, a partner administering fr-a and be, reads English. */
const PAUL = SLACK.paul;

/** A request from fr-a to be (another legal entity) of the assets named. */
const toBelgium = (assets: string) => ONE_LINE.replace('SO:100-1,SN:FOC0002', assets);

/** A same-company request from fr-a to fr-b of the assets named. */
const sameCompany = (assets: string) =>
  ONE_LINE.replace('<http://be.example/DEFAULT|be.example/DEFAULT>', 'fr-b.example/DEFAULT')
    .replace('same-company:no', 'same-company:yes')
    .replace(/ transferee:\S+ justification:"[^"]*" terms:accept/, '')
    .replace('SO:100-1,SN:FOC0002', assets);

/** Every text a message draws, within Block Kit's limits (50 blocks, 3,000 characters, 10 context elements). */
function drawnWithinLimits(call: RecordedCall): string {
  const blocks = call.args.blocks as Block[];
  expect(blocks.length).toBeLessThanOrEqual(50);
  const texts: string[] = [];
  for (const block of blocks) {
    if (block.text) texts.push(block.text.text);
    if (block.type === 'context') {
      expect(block.elements!.length).toBeLessThanOrEqual(10);
      for (const e of block.elements!) texts.push(e.text ?? '');
    }
  }
  for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
  return texts.join('\n');
}

/** The references of one sales order a message names. */
const refsOf = (shown: string, salesOrder: string) =>
  new Set(shown.match(new RegExp(`SO:${salesOrder}-\\d+`, 'g')) ?? []);

async function answer(h: SlackHarness, userId: string, line: string): Promise<string> {
  const since = h.api.count();
  const { responseUrl } = await h.slash(userId, line);
  return drawnWithinLimits(await answerTo(h, responseUrl, { since }));
}

describe.each(surfaceDrivers)(
  'Slack: long lists say how many they do not show (%s)',
  { timeout: 120_000 },
  (driver) => {
    const h = useSlack(driver);

    it.each([
      {
        locale: 'fr',
        userId: SLACK.alice.id,
        salesOrder: '950',
        line: sameCompany,
        refused: 'La demande n’a pas été créée\u00a0: 300 problèmes d’actifs.',
        more: '…et 250 de plus.',
      },
      {
        locale: 'en',
        userId: PAUL.id,
        salesOrder: '951',
        line: toBelgium,
        refused: 'The request was not created: 300 asset problems.',
        more: '…and 250 more.',
      },
    ])(
      'a request refused for 300 assets names the first 50 with their reasons, then counts the rest ($locale)',
      async ({ userId, salesOrder, line, refused, more }) => {
        await addBigOrder(h.database.db, { salesOrder, lines: 300, inUse: [] });
        await blockLines(h.database.db, salesOrder, range(1, 300));
        const shown = await answer(h, userId, line(`SO:${salesOrder}`));
        expect(shown).toContain(refused);
        const refs = refsOf(shown, salesOrder);
        expect(refs.size).toBe(50);
        expect(refs).toContain(`SO:${salesOrder}-1`);
        expect(shown.split('\n').filter((l) => l.startsWith(`• SO:${salesOrder}-`))).toHaveLength(50);
        expect(shown).toContain(more);
      },
    );

    it('a retry names 20 items still failing, each with its reason, then counts the rest', async () => {
      h.api.addPerson(OLGA);
      await addBigOrder(h.database.db, { salesOrder: '960', lines: 100, inUse: [] });
      const created = await answer(h, SLACK.alice.id, sameCompany('SO:960'));
      const id = /AT-[0-9A-Z]{8}/.exec(created)?.[0];
      expect(id).toBeDefined();
      await blockLines(h.database.db, '960', range(51, 80));
      await answer(h, SLACK.alice.id, `submit ${id}`);
      expect(await h.status(id!)).toBe('transfer_completed_with_failure');

      const retried = await answer(h, OLGA.id, `retry ${id}`);
      expect(retried).toContain('0 of 30 failed items moved; 30 still failing.');
      const still = retried.match(/Still failing: SO:960-\d+: has a pending upgrade/g) ?? [];
      expect(still).toHaveLength(20);
      expect(retried).toContain(`…and 10 more items still failing: show ${id} gives the reason of each.`);
    });
  },
);
