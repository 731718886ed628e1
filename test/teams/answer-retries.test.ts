import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { startTeamsWorld, teamsUser, type TeamsWorld } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

describe.each(surfaceDrivers)(
  'Teams: the answer to a typed command, throttled by the connector (%s)',
  (driver) => {
    let world: TeamsWorld;
    beforeAll(async () => {
      world = await startTeamsWorld(driver, [alice]);
    });
    afterAll(() => world?.close());

    const intoAlicesChat = (r: { method: string; conversationId?: string; path: string }) =>
      r.method === 'POST' && r.conversationId === alice.chat && r.path.includes('/activities');

    it('429 with Retry-After: 1, then 200: sent again after a second, and Alice sees it once', async () => {
      const before = world.connector.posted(alice.chat).length;
      const seenBefore = world.connector.delivered(alice.chat).length;
      world.connector.failNext({ status: 429, headers: { 'Retry-After': '1' }, match: intoAlicesChat });

      const typedAt = Date.now();
      const typed = await world.teams.message(alice, 'help');
      expect(typed.status).toBe(200);

      const attempts = world.connector.posted(alice.chat).slice(before);
      expect(attempts.map((r) => r.refusedWith)).toEqual([429, undefined]);
      expect(Date.now() - typedAt).toBeGreaterThanOrEqual(1000);
      const seen = world.connector.delivered(alice.chat).slice(seenBefore);
      expect(seen).toHaveLength(1);
      // The same answer, as a reply to what she typed.
      expect(seen[0]?.activityId).toBe((typed.activity as { id: string }).id);
      expect(JSON.stringify(seen[0]?.body)).toEqual(JSON.stringify(attempts[0]?.body));
    }, 30_000);

    it('503 three times in a row, then 200: still one answer', async () => {
      const before = world.connector.posted(alice.chat).length;
      for (let n = 0; n < 3; n++) world.connector.failNext({ status: 503, match: intoAlicesChat });

      await world.teams.message(alice, 'help');

      const attempts = world.connector.posted(alice.chat).slice(before);
      expect(attempts.map((r) => r.refusedWith)).toEqual([503, 503, 503, undefined]);
    }, 30_000);

    it('refused for good (403): the answer is not sent again, only the apology that follows', async () => {
      const before = world.connector.posted(alice.chat).length;
      world.connector.failNext({ status: 403, match: intoAlicesChat });

      await world.teams.message(alice, 'help');

      const attempts = world.connector.posted(alice.chat).slice(before);
      expect(attempts.map((r) => r.refusedWith)).toEqual([403, undefined]);
      expect(JSON.stringify(attempts[1]?.body)).not.toEqual(JSON.stringify(attempts[0]?.body));
    }, 30_000);
  },
);
