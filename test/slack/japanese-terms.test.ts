import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { answerTo, SLACK, text, useSlack } from './harness.js';

/**
 * A consent nobody has answered yet reads 未回答 in the list of consents on Slack, as the console says it and
 * Teams says that the person has not answered (まだ回答していません); 同意待ち is the transfer's status
 * (送信済み – 譲渡人/譲受人の同意待ち), not one person's answer.
 */
describe.each(surfaceDrivers)('Slack: an unanswered consent in Japanese (%s)', (driver) => {
  const h = useSlack(driver);

  it('says 未回答 beside the person asked', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-1');
    const since = h.api.count();
    // Cora, a compliance officer whose Slack is in Japanese, may open every transaction.
    const { responseUrl } = await h.slash(SLACK.cora.id, `show ${id}`);
    const shown = text(await answerTo(h, responseUrl, { since }));
    expect(shown).toContain('譲受人（転送先） Bob Peeters さん：未回答');
    expect(shown).not.toContain('さん：同意待ち');
  });
});
