import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyEmbeddedTemplate } from '../support/db.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'transfer-bot.js');
const SIGNING_SECRET = 'test-signing-secret-not-real-000';
const BOT_TOKEN = 'xoxb-test-token-not-real-000';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > deadline) throw new Error('the bot never answered /healthz');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('npm start with Slack and Teams configured', () => {
  let dir: string;
  let slack: SlackApiStandIn;
  let child: ChildProcess;
  let logs = '';
  let base = '';
  let exit: Promise<number | null>;

  beforeAll(async () => {
    // Migrated already (a copy of the run's template); test/cli/cli.test.ts starts on a fresh folder.
    dir = copyEmbeddedTemplate();
    slack = await startSlackApi();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        TEAMS_ALLOW_UNAUTHENTICATED: 'true',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    exit = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves health, Slack and Teams on one port, never logs a secret, and stops cleanly on SIGTERM', async () => {
    const health = await waitForHealth(`${base}/healthz`, child);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(logs).toContain('Slack (HTTP: POST /slack/events)');
    expect(logs).toContain('Teams (POST /api/messages)');
    expect(logs).toContain('WITHOUT authentication');

    const unsigned = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Ftransfer&text=help',
    });
    expect(unsigned.status).toBe(401);

    const body = new URLSearchParams({
      command: '/transfer',
      text: 'help',
      user_id: 'U0MARIE01',
      team_id: 'T1',
      channel_id: 'D1',
      response_url: slack.responseUrl(),
      trigger_id: 'trigger-1',
    }).toString();
    const ts = Math.floor(Date.now() / 1000).toString();
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const signed = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature,
      },
      body,
    });
    expect(signed.status).toBe(200);
    const answer = await slack.waitFor('response_url', undefined, { timeoutMs: 20_000 });
    expect(JSON.stringify(answer.args)).toContain('transfer');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/transfer_bot_requests_total\{surface="slack"/);

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(logs).toContain('stopping');
    expect(logs).not.toContain(BOT_TOKEN);
    expect(logs).not.toContain(SIGNING_SECRET);
    // Room for the waits above (up to 90 s for the first /healthz, 20 s for Slack's answer): a cold start
    // on the embedded database beside the rest of the suite on two cores takes longer than the default.
  }, 150_000);
});
