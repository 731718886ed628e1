import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, SIGNING_SECRET, spawnStart } from '../support/bot-process.js';
import {
  copyEmbeddedTemplate,
  createTestDatabase,
  drivers,
  type Driver,
  type TestDatabase,
} from '../support/db.js';
import { runInProcess } from '../support/cli.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

interface Exit {
  code: number | null;
  stderr: string;
}

/** Starts the bot as an operator would and waits for it to exit on its own (killed after `limitMs`). */
function startUntilExit(env: Record<string, string>, limitMs = 60_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawnStart(env);
    child.stdout.resume();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}

const TOKEN = 'xoxb-refused-token-not-real-000';

describe.each(drivers)('a start that Slack refuses, on %s', { timeout: 150_000 }, (driver: Driver) => {
  let slack: SlackApiStandIn;
  let dir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    slack = await startSlackApi();
    // A migrated folder (a copy of the run's template): what is under test is how a start fails at Slack.
    dir = copyEmbeddedTemplate();
    env = {
      PORT: String(await freePort()),
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      DATA_DIR: dir,
    };
    if (driver === 'postgres') {
      database = await createTestDatabase('postgres');
      env.DATABASE_URL = database.url!;
    }
  });

  afterAll(async () => {
    await slack.close();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the token, what Slack answered and where to fix it, suggests the doctor, and exits 1 at once', async () => {
    slack.failNext('auth.test', { error: 'invalid_auth' }, 10);
    const exit = await startUntilExit({ ...env, SLACK_API_URL: slack.apiUrl });
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toEqual([
      "transfer-bot: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): copy the Bot User OAuth Token from the app's OAuth & Permissions page (reinstall the app if it was revoked); run `transfer-bot doctor` to check every setting",
    ]);
    expect(exit.stderr).not.toContain(TOKEN);
    expect(slack.calls('auth.test').length).toBeGreaterThan(0);
    // The port it would have served is free again: nothing was left listening. (The start's entry point
    // in this process: what matters here is that it fails the same way, not how a process ends.)
    const again = await runInProcess(['start'], { ...env, SLACK_API_URL: slack.apiUrl });
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toEqual(lines);
    // And the failed start in this process left nothing listening on the port either.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(Number(env.PORT), '127.0.0.1', resolve);
    });
    await new Promise((resolve) => probe.close(resolve));
  });

  it('names SLACK_API_URL when the Web API does not answer, and exits 1', async () => {
    // A listener of this test's own that drops every connection it is offered, held for the whole test: a
    // port found free a moment before could be taken meanwhile by another test's stand-in Slack, which would
    // answer (and the bot would start), and a URL with port 0 is sent to port 80, which a host may serve.
    const dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      dropper.once('error', reject);
      dropper.listen(0, '127.0.0.1', resolve);
    });
    const nowhere = `http://127.0.0.1:${String((dropper.address() as AddressInfo).port)}/api/`;
    try {
      // Only the exit code and the message matter here: the start's entry point runs in this process.
      const exit = await runInProcess(['start'], { ...env, SLACK_API_URL: nowhere });
      expect(exit.code).toBe(1);
      const lines = exit.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^transfer-bot: the Slack Web API at ${nowhere.replace(/[.]/g, '\\.')} did not answer \\((?:.*ECONNRESET|.*socket hang up).*\\): check SLACK_API_URL`,
        ),
      );
      expect(lines[0]).toContain('transfer-bot doctor');
    } finally {
      await new Promise((resolve) => dropper.close(resolve));
    }
  });
});
