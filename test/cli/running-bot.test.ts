import { describe, expect, it } from 'vitest';
import { BOT_TOKEN, postSignedCommand, SIGNING_SECRET, useSlackProcesses } from '../support/bot-process.js';

describe('npm start with Slack and Teams configured', () => {
  // Migrated already (a copy of the run's template); test/cli/cli.test.ts starts on a fresh folder.
  const processes = useSlackProcesses();

  it('serves health, Slack and Teams on one port, never logs a secret, and stops cleanly on SIGTERM', async () => {
    const { slack } = processes;
    const bot = await processes.start({ TEAMS_ALLOW_UNAUTHENTICATED: 'true', LOG_LEVEL: 'debug' });
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
