import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../support/slack-api.js';
import { surfaceDrivers } from '../support/db.js';
import { addBigOrder, blockLines, range } from '../support/big-order.js';
import { answerTo, ONE_LINE, SLACK, useSlack, type SlackHarness } from './harness.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: string }[] };

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
  },
);
