import { describe, expect, it } from 'vitest';
import { addBigOrder } from '../support/big-order.js';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, SLACK, text, useSlack } from './harness.js';

/** The license references a reply names, in the order it names them. */
const refsIn = (shown: string) => [...shown.matchAll(/SO:\d+-\d+/g)].map((m) => m[0]);

describe.each(surfaceDrivers)('Slack: `assets` lists licenses in number order (%s)', (driver) => {
  const h = useSlack(driver);

  it('lists a sales order’s lines as they are counted: -1, -2, -10, not -1, -10, -2', async () => {
    await addBigOrder(h.database.db, { salesOrder: '960', lines: 12, inUse: [] });
    const since = h.api.count();
    const { responseUrl } = await h.slash(SLACK.alice.id, 'assets fr-a.example licenses 960');
    const shown = text(await answerTo(h, responseUrl, { since }));
    expect(refsIn(shown)).toEqual(Array.from({ length: 12 }, (_, n) => `SO:960-${n + 1}`));
  });
});
