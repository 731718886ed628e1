import { describe, expect, it } from 'vitest';
import { ACTION } from '../../adapters/slack/ids.js';
import { surfaceDrivers } from '../support/db.js';
import { addBigOrder, blockLines, range } from '../support/big-order.js';
import {
  answerTo,
  buttonIds,
  click,
  ONE_LINE,
  requestAndSubmit,
  SLACK,
  text,
  where,
  useSlack,
} from './harness.js';

/** A transfer of 300 licenses; 40 of them in use on devices (lines 200 to 239). */
const ORDER = { lines: 300, inUse: range(200, 239) };
/** Lines that get an upgrade pending once asked for: they fail when the transfer runs. */
const FAILING = [150, 299];

const SAME_COMPANY = ONE_LINE.replace(
  '<http://be.example/DEFAULT|be.example/DEFAULT>',
  'fr-b.example/DEFAULT',
)
  .replace('same-company:no', 'same-company:yes')
  .replace(/ transferee:\S+ justification:"[^"]*" terms:accept/, '');

/** The item references a Slack message shows, of one sales order. */
const refsShown = (shown: string, salesOrder: string) =>
  new Set(shown.match(new RegExp(`SO:${salesOrder}-\\d+`, 'g')) ?? []);

describe.each(surfaceDrivers)(
  'Slack: a transfer of hundreds of items (%s)',
  { timeout: 120_000 },
  (driver) => {
    const h = useSlack(driver);

    it('`show` of a partial transfer lists the failed items first, then those with warnings, and counts the rest', async () => {
      await addBigOrder(h.database.db, { salesOrder: '910', ...ORDER });
      const since = h.api.count();
      const asked = await h.slash(
        SLACK.alice.id,
        SAME_COMPANY.replace('assets:SO:100-1,SN:FOC0002', 'assets:SO:910'),
      );
      const created = await answerTo(h, asked.responseUrl, { since });
      const id = /AT-[0-9A-Z]{8}/.exec(String(created.args.text))?.[0];
      expect(id).toBeDefined();
      await blockLines(h.database.db, '910', FAILING);
      const submitted = await h.slash(SLACK.alice.id, `submit ${id}`);
      await answerTo(h, submitted.responseUrl, { since });
      expect(await h.status(id!)).toBe('transfer_completed_with_failure');

      const shown = await h.slash(SLACK.alice.id, `show ${id}`);
      const answer = text(await answerTo(h, shown.responseUrl, { since: h.api.count() - 1 }));
      const refs = refsShown(answer, '910');
      // Described as the inventory has it, though added past the first 200 items a chat view describes.
      const last = answer.slice(answer.indexOf('SO:910-299'));
      expect(last.slice(0, last.indexOf('•'))).toContain('· Smart');
      // With its minor line under it.
      expect(last.slice(0, last.indexOf('•'))).toContain('◦ `299.1` C9300-DNA-E-24 ×10');
      // The failed ones, never hidden among the 280 moved past those shown.
      for (const line of FAILING) expect(refs).toContain(`SO:910-${line}`);
      // Then those with warnings, in their references' order, and nothing moved without a warning.
      const warned = [...refs].filter((ref) => ORDER.inUse.includes(Number(ref.split('-')[1])));
      expect(warned.length).toBe(refs.size - FAILING.length);
      expect(warned[0]).toBe('SO:910-200');
      // Alice reads French: how many more, and how many of those carry warnings.
      expect(answer).toContain(
        `Non affichés\u00a0: ${ORDER.inUse.length - warned.length} éléments avec avertissements.`,
      );
      expect(answer).not.toContain('en échec.');
    });

    it('a consent card for hundreds of items says how many more carry warnings, and downloads them all', async () => {
      await addBigOrder(h.database.db, { salesOrder: '920', ...ORDER });
      const { id, card } = await requestAndSubmit(h, 'SO:920');
      const drawn = text(card);
      const warned = [...refsShown(drawn, '920')];
      expect(warned.length).toBeGreaterThan(0);
      expect(warned.every((ref) => ORDER.inUse.includes(Number(ref.split('-')[1])))).toBe(true);
      // Bob reads English.
      expect(drawn).toContain(`Not shown: ${ORDER.inUse.length - warned.length} items with warnings.`);
      expect(buttonIds(card)).toContain(ACTION.download);

      const since = h.api.count();
      await h.interact(click(SLACK.bob.id, { action_id: ACTION.download, value: id }, where(card)));
      const upload = await h.api.waitFor('files.getUploadURLExternal', () => true, { since });
      expect(String(upload.args.filename)).toContain(id);
      const complete = await h.api.waitFor('files.completeUploadExternal', () => true, { since });
      expect(complete.args.channel_id).toBe(`D${SLACK.bob.id}`);
    });

    it('the card’s Download is checked against the database: someone who may not see the transfer gets no file', async () => {
      await addBigOrder(h.database.db, { salesOrder: '930', lines: 20, inUse: [] });
      const { id, card } = await requestAndSubmit(h, 'SO:930');
      expect(buttonIds(card)).toContain(ACTION.download);
      const since = h.api.count();
      await h.interact(click(SLACK.eve.id, { action_id: ACTION.download, value: id }, where(card)));
      await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.eve.id, { since });
      expect(
        h.api
          .calls()
          .slice(since)
          .some((c) => c.method === 'files.getUploadURLExternal'),
      ).toBe(false);
    });
  },
);
