import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { SLACK, startSlack, type SlackHarness } from './harness.js';

describe.each(surfaceDrivers)(
  'Slack: the answer to a slash command, refused for now by response_url (%s)',
  (driver) => {
    let h: SlackHarness;
    beforeAll(async () => {
      h = await startSlack(driver);
    });
    afterAll(() => h?.close());

    const answersTo = (responseUrl: string) =>
      h.api.calls('response_url').filter((c) => c.args.path === new URL(responseUrl).pathname);
    const takenAnswer = (responseUrl: string, since: number) =>
      h.api.waitFor(
        'response_url',
        (c) => c.args.path === new URL(responseUrl).pathname && c.refusedWith === undefined,
        { since, timeoutMs: 10_000 },
      );

    it('429 with Retry-After: 1, then 200: sent again after a second, and answered once', async () => {
      h.api.failNext('response_url', { status: 429, retryAfter: 1 });
      const since = h.api.count();
      const { res, responseUrl } = await h.slash(SLACK.bob.id, 'list');
      expect(res.status).toBe(200);

      const taken = await takenAnswer(responseUrl, since);
      const attempts = answersTo(responseUrl);
      expect(attempts.map((c) => c.refusedWith)).toEqual([429, undefined]);
      expect(taken.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
      expect(taken.args.text).toEqual(attempts[0]!.args.text);
    }, 30_000);

    it('500 twice, then 200: answered once', async () => {
      h.api.failNext('response_url', { status: 500 }, 2);
      const since = h.api.count();
      const { responseUrl } = await h.slash(SLACK.bob.id, 'list');

      await takenAnswer(responseUrl, since);
      expect(answersTo(responseUrl).map((c) => c.refusedWith)).toEqual([500, 500, undefined]);
    }, 30_000);
  },
);
