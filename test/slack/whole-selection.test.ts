import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, SLACK, useSlack } from './harness.js';

describe.each(surfaceDrivers)('a whole selection in the one-line /transfer new (%s)', (driver) => {
  const h = useSlack(driver);

  it('answers with the request, the count per Virtual Account and the assets left out with their reasons', async () => {
    const since = h.api.count();
    const { responseUrl } = await h.slash(
      SLACK.alice.id,
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:DEFAULT devices same-company:yes',
    );
    const answer = await answerTo(h, responseUrl, { since });
    const blocks = JSON.stringify(answer.args.blocks);
    expect(String(answer.args.text)).toMatch(/AT-[0-9A-Z]{8}/u);
    expect(blocks).toContain('DEFAULT\u00a0: licences 0 · périphériques 2');
    expect(blocks).toContain('SN:FOC0003');
    expect(blocks).toContain('SSM On-Prem');
  });
});
