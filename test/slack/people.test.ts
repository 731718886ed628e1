import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackPeople } from '../../adapters/slack/people.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

const PEOPLE = ['UANN', 'UBEN', 'UCAT', 'UDAN'].map((id) => ({
  id,
  email: `${id.toLowerCase()}@example.com`,
  locale: 'fr-FR',
  tz: 'Europe/Paris',
}));
const TTL = 60_000;

describe('Slack: the people cache in front of users.info', () => {
  let api: SlackApiStandIn;
  let client: webApi.WebClient;
  let now = 0;
  const asked = (id: string) => api.calls('users.info').filter((c) => c.args.user === id).length;
  const people = () => new SlackPeople(client, () => now, { ttlMs: TTL, maxEntries: 2 });

  beforeAll(async () => {
    api = await startSlackApi();
    for (const person of PEOPLE) api.addPerson(person);
    client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: api.apiUrl,
      retryConfig: { retries: 0 },
    });
  });
  afterAll(() => api?.close());

  it('asks Slack once per person while the answer is fresh', async () => {
    const cache = people();
    expect(await cache.profile('UANN')).toEqual({
      email: 'uann@example.com',
      locale: 'fr-FR',
      tz: 'Europe/Paris',
      at: now, // when Slack said it: a cached answer older than the language stored is not taken
    });
    await cache.profile('UANN');
    expect(asked('UANN')).toBe(1);
    expect(cache.cached('UANN')?.locale).toBe('fr-FR');
  });

  it('forgets the person unseen the longest once it holds its maximum', async () => {
    const cache = people();
    await cache.profile('UBEN');
    await cache.profile('UCAT');
    expect(cache.cached('UBEN')).toBeDefined(); // Ben was just seen: Cat is now the oldest
    await cache.profile('UDAN');
    expect(cache.cached('UCAT')).toBeUndefined();
    expect(cache.cached('UBEN')).toBeDefined();
    expect(cache.cached('UDAN')).toBeDefined();
    const before = asked('UCAT');
    await cache.profile('UCAT');
    expect(asked('UCAT')).toBe(before + 1);
  });

  it('asks again once an answer is older than its time to live', async () => {
    const cache = people();
    now = 0;
    await cache.profile('UANN');
    const before = asked('UANN');
    now = TTL;
    expect(cache.cached('UANN')).toBeDefined();
    now = TTL + 1;
    expect(cache.cached('UANN')).toBeUndefined();
    await cache.profile('UANN');
    expect(asked('UANN')).toBe(before + 1);
  });

  it('goes on without a lookup Slack does not answer in time, and asks again the next time', async () => {
    const cache = new SlackPeople(client, () => now, { ttlMs: TTL, lookupDeadlineMs: 200 });
    const release = api.hold('users.info');
    try {
      // Slack holds the call: the command goes on with what it knows (nothing), not after Slack's own limit.
      expect(await cache.profile('UCAT')).toEqual({});
      expect(cache.cached('UCAT')).toBeUndefined();
    } finally {
      release();
    }
    expect(await cache.profile('UCAT')).toMatchObject({ locale: 'fr-FR' });
  });

  it("asks for messages the bot sends on its own within a share of Slack's limit, then goes on without", async () => {
    const cache = new SlackPeople(client, () => now, { ttlMs: TTL, sendingLookupsPerMinute: 2 });
    const before = api.calls('users.info').length;
    expect((await cache.profileToSend('UANN'))?.locale).toBe('fr-FR');
    expect((await cache.profileToSend('UBEN'))?.locale).toBe('fr-FR');
    // The minute's share is spent: no third lookup, an answer at once; one already known still is.
    expect(await cache.profileToSend('UCAT')).toBeUndefined();
    expect((await cache.profileToSend('UANN'))?.locale).toBe('fr-FR');
    expect(api.calls('users.info').length - before).toBe(2);
    // Half a minute later, one more.
    now += 30_000;
    expect((await cache.profileToSend('UCAT'))?.locale).toBe('fr-FR');
    expect(await cache.profileToSend('UDAN')).toBeUndefined();
    expect(api.calls('users.info').length - before).toBe(3);
  });
});
