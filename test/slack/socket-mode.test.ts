import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../adapters/slack/adapter.js';
import { DEFAULT_CONFIG } from '../../src/app/deps.js';
import type { Store } from '../../src/app/ports/store.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

// Socket Mode needs no public URL: the app asks Slack for a WebSocket with its app-level token.
describe('Slack over Socket Mode', () => {
  let api: SlackApiStandIn;
  beforeAll(async () => {
    api = await startSlackApi();
  });
  afterAll(() => api.close());

  const config = () => ({
    SLACK_SIGNING_SECRET: undefined,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_APP_TOKEN: 'xapp-test-token',
    SLACK_API_URL: api.apiUrl,
    SLACK_COMPLIANCE_CHANNEL: undefined,
    slackMode: 'socket' as const,
  });
  // No listener runs in these tests, so the database is never reached.
  const deps = { store: {} as Store, now: () => new Date(), config: DEFAULT_CONFIG };

  it('asks SLACK_API_URL for the connection with the app token, and reports a refused token at start', async () => {
    api.failNext('apps.connections.open', { error: 'invalid_auth' });
    const adapter = await createSlackAdapter({ deps, config: config(), logger: pino({ level: 'silent' }) });
    // The bot token was checked first, at the same URL.
    expect(api.calls('auth.test')).toHaveLength(1);
    await expect(adapter.start()).rejects.toThrow(/invalid_auth/);
    expect(api.calls('apps.connections.open').map((c) => c.token)).toEqual(['xapp-test-token']);
    expect(api.calls('auth.test').map((c) => c.token)).toEqual(['xoxb-test-token']);
    expect(() => adapter.mount(express())).toThrow(/Socket Mode/);
  });

  it('refuses to start without its tokens, naming what is missing', async () => {
    await expect(
      createSlackAdapter({
        deps,
        config: { ...config(), SLACK_APP_TOKEN: undefined },
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toThrow(/SLACK_APP_TOKEN/);
  });
});
