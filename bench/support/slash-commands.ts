import type { LoadRequest } from './load.js';
import { signedSlackRequest, slackTimestamp } from './signed.js';

// The slash commands the ack-path and durability benchmarks send, and what they read back: the Slack
// stand-in's counts of answers, and the bot's own counts of commands deferred.

/** The demo inventory's people with a Slack account: each types `/transfer list` in turn. */
const SLACK_USERS = [
  'U0MARIE01',
  'U0JULIEN1',
  'U0HARUTO1',
  'U0OLIVER1',
  'U0ERIK001',
  'U0CLAIRE1',
  'U0SAMOK01',
];

/** What Slack sends for `/transfer list`, signed as Slack signs it (v0: HMAC-SHA256 of the body). */
export function slashCommands(secret: string, responseBase: string, run: string): LoadRequest[] {
  let sent = 0;
  return SLACK_USERS.map((user, n) => {
    // Each send is a new command, as Slack's are (its own trigger_id), so none is taken for a replay.
    const signed = (): Pick<LoadRequest, 'headers' | 'body'> => {
      const timestamp = slackTimestamp();
      return signedSlackRequest(secret, {
        token: 'unused',
        team_id: 'TBENCH',
        team_domain: 'bench',
        channel_id: 'C0BENCH01',
        channel_name: 'transfers',
        user_id: user,
        user_name: user.toLowerCase(),
        command: '/transfer',
        text: 'list',
        api_app_id: 'ABENCH',
        is_enterprise_install: 'false',
        // Each send its own response_url, so the stand-in tells a command answered twice from two commands.
        response_url: `${responseBase}/respond/${run}/${n}/${++sent}`,
        trigger_id: `${n}.${timestamp}.${sent}.bench`,
      });
    };
    return {
      method: 'POST',
      path: '/slack/events',
      ...signed(),
      setupRequest: (request) => ({ ...request, ...signed() }),
    };
  });
}

export async function standInStats(base: string): Promise<Record<string, number>> {
  return (await (await fetch(`${base}/stats`)).json()) as Record<string, number>;
}

/**
 * Waits until `expected` commands of run `label` have been answered through response_url (at most a
 * minute), so the next run starts calm; answers how many were.
 */
export async function settle(standIn: string, label: string, expected: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answered = (await standInStats(standIn))[`response_url:${label}`] ?? 0;
    if (answered >= expected || Date.now() > deadline) return answered;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The bot's own counts (GET /metrics): commands told "busy" in their ack, and commands recognised as sent
 * before (replays). Every other command acked is answered through response_url: at once, or, recorded
 * while the queue was full, when an instance has room.
 */
export async function deferred(base: string): Promise<{ busy: number; replay: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const count = (outcome: string) => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith('transfer_bot_deferred_total{') && l.includes(`outcome="${outcome}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { busy: count('busy'), replay: count('replay') };
}
