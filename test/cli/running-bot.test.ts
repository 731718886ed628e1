import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, postSignedCommand, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { copyEmbeddedTemplate } from '../support/db.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

const SIGNING_SECRET = 'test-signing-secret-not-real-000';
const BOT_TOKEN = 'xoxb-test-token-not-real-000';

describe('npm start with Slack and Teams configured', () => {
  let dir: string;
  let slack: SlackApiStandIn;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    // Migrated already (a copy of the run's template); test/cli/cli.test.ts starts on a fresh folder.
    dir = copyEmbeddedTemplate();
    slack = await startSlackApi();
  });

  afterAll(async () => {
    killAll(bots);
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves health, Slack and Teams on one port, never logs a secret, and stops cleanly on SIGTERM', async () => {
    const bot = await startBotProcess({
      DATA_DIR: dir,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      TEAMS_ALLOW_UNAUTHENTICATED: 'true',
      LOG_LEVEL: 'debug',
    });
    bots.push(bot);
    const { base } = bot;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(bot.logs()).toContain('Slack (HTTP: POST /slack/events)');
    expect(bot.logs()).toContain('Teams (POST /api/messages)');
    expect(bot.logs()).toContain('WITHOUT authentication');

    const unsigned = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Ftransfer&text=help',
    });
    expect(unsigned.status).toBe(401);

    const signed = await postSignedCommand(bot, SIGNING_SECRET, {
      text: 'help',
      user_id: 'U0MARIE01',
      response_url: slack.responseUrl(),
      trigger_id: 'trigger-1',
    });
    expect(signed.status).toBe(200);
    const answer = await slack.waitFor('response_url', undefined, { timeoutMs: 20_000 });
    expect(JSON.stringify(answer.args)).toContain('transfer');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/transfer_bot_requests_total\{surface="slack"/);

    bot.child.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
    expect(bot.logs()).toContain('stopping');
    expect(bot.logs()).not.toContain(BOT_TOKEN);
    expect(bot.logs()).not.toContain(SIGNING_SECRET);
    // Room for the waits above (up to 90 s for the first /healthz, 20 s for Slack's answer): a cold start
    // on the embedded database beside the rest of the suite on two cores takes longer than the default.
  }, 150_000);
});
