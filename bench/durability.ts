import { createHmac, randomBytes } from 'node:crypto';
import { deferred, settle, slashCommands, standInStats } from './support/slash-commands.js';
import { openBenchDatabase } from './support/database.js';
import { load, loadExactly, type LoadRequest } from './support/load.js';
import {
  firstJsonLine,
  freePort,
  neutralEnv,
  rssOf,
  start,
  waitForOk,
  type Started,
} from './support/processes.js';
import { round, targeted, type BenchOutcome, type BenchResult } from './support/results.js';
import { ms } from './support/stats.js';

const FLOOD_SECONDS = 5;
const FLOOD_CONNECTIONS = 20;
/**
 * Commands sent before the kill. A fixed number rather than a duration: a timed run stops counting with
 * one request still in flight per connection, which the bot acknowledges and answers all the same, so the
 * answers would outnumber the acknowledgements counted without any command being answered twice.
 */
const KILLED_COMMANDS = 1000;
const KILLED_CONNECTIONS = 50;
const MiB = 1024 * 1024;

/** One signed click on a consent button, captured once and replayed as is. */
function capturedClick(secret: string): LoadRequest {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      team: { id: 'TBENCH' },
      api_app_id: 'ABENCH',
      user: { id: 'U0MARIE01', username: 'marie', team_id: 'TBENCH' },
      trigger_id: `flood.${timestamp}.bench`,
      container: { type: 'message', channel_id: 'D0BENCH01', message_ts: '1.000100', is_ephemeral: false },
      channel: { id: 'D0BENCH01' },
      message: { ts: '1.000100' },
      actions: [
        {
          type: 'button',
          action_id: 'consent_approve',
          block_id: 'card:consent:transferee',
          value: 'AT-FLOOD000',
          action_ts: timestamp,
        },
      ],
    }),
  }).toString();
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    path: '/slack/events',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  };
}

/** /healthz answered every 100 ms while `during` runs: the latencies in ms (a timeout counts as 2 s). */
async function healthLatencies(base: string, during: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let over = false;
  void during.finally(() => (over = true));
  while (!over) {
    const began = process.hrtime.bigint();
    try {
      await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      latencies.push(ms(began));
    } catch {
      latencies.push(2000);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return latencies;
}

async function peakRss(pid: number, during: Promise<unknown>): Promise<number> {
  let peak = 0;
  let over = false;
  void during.finally(() => (over = true));
  while (!over) {
    peak = Math.max(peak, (await rssOf(pid)) ?? 0);
    await new Promise((r) => setTimeout(r, 100));
  }
  return peak;
}

/**
 * On a server shared by several instances, work a dead process held waits for its lease (30 s) to run
 * out before another instance takes it: answers may pause that long and still come.
 */
const LEASE_WAIT_MS = 45_000;

/**
 * Waits for answers for as long as they keep coming: until `expected` have come and none for 2 s more
 * (a command acknowledged once may still be answered by both processes), or none for longer than a
 * lease — so a slow catch-up is told apart from answers that never come. Answers how many came.
 */
async function settleWhileAnswering(standIn: string, label: string, expected: number): Promise<number> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const answered = await settle(standIn, label, 0);
    if (answered !== last) [last, lastChange] = [answered, Date.now()];
    else if (Date.now() - lastChange > (answered >= expected ? 2000 : LEASE_WAIT_MS)) return answered;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Floods and process death: a captured click replayed for 5 s (the bot's memory and /healthz meanwhile),
 * then slash commands acknowledged by a process killed with SIGKILL right after the load, and how many of
 * them the next process to start answers.
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const bench = await openBenchDatabase('durability');
  const label = bench.label;
  await bench.close();
  const running: Started[] = [];
  try {
    const standIn = start(process.execPath, ['--import', 'tsx', 'bench/slack-stand-in.ts'], neutralEnv());
    running.push(standIn);
    const standInBase = `http://127.0.0.1:${(await firstJsonLine<{ port: number }>(standIn)).port}`;
    const secret = randomBytes(16).toString('hex');
    const env = {
      ...neutralEnv(),
      ...bench.env,
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: `xoxb-bench-${randomBytes(8).toString('hex')}`,
      SLACK_API_URL: `${standInBase}/api/`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const bootBot = async () => {
      const port = await freePort();
      const bot = start(process.execPath, ['bin/transfer-bot.js', 'start'], { ...env, PORT: String(port) });
      running.push(bot);
      const base = `http://127.0.0.1:${port}`;
      await waitForOk(`${base}/healthz`, bot);
      return { bot, base };
    };

    // 1. The replay flood.
    const first = await bootBot();
    const idleRss = (await rssOf(first.bot.child.pid!)) ?? 0;
    const flood = Promise.resolve(
      load(first.base, [capturedClick(secret)], FLOOD_CONNECTIONS, FLOOD_SECONDS),
    );
    const [floodResult, health, rss] = await Promise.all([
      flood,
      healthLatencies(first.base, flood),
      peakRss(first.bot.child.pid!, flood),
    ]);
    health.sort((a, b) => a - b);
    const p99 = health[Math.min(health.length - 1, Math.floor(health.length * 0.99))] ?? 0;

    // 2. Commands acknowledged, then the process killed at once, before it has answered them all. Every
    // command acknowledged without "busy" is owed one answer through its response_url; the load returns
    // once every command sent has its acknowledgement, so none is acknowledged uncounted.
    const before = await deferred(first.base);
    const commands = slashCommands(secret, standInBase, 'killed');
    const killedLoad = await loadExactly(first.base, commands, KILLED_CONNECTIONS, KILLED_COMMANDS);
    const toldBusy = (await deferred(first.base)).busy - before.busy;
    first.bot.child.kill('SIGKILL');
    await new Promise((r) => first.bot.child.once('exit', r));
    // With nothing more expected, `settle` answers at once with the count so far.
    const answeredBeforeKill = await settle(standInBase, 'killed', 0);
    const owed = killedLoad['2xx'] - toldBusy;
    const rebootedAt = process.hrtime.bigint();
    await bootBot();
    const answered = await settleWhileAnswering(standInBase, 'killed', owed);
    const catchUp = ms(rebootedAt);
    // Each command has its own response_url: one answered again is a command answered twice.
    const again = (await standInStats(standInBase))['response_url:killed:again'] ?? 0;
    const answeredCommands = answered - again;
    const unacknowledged = killedLoad.non2xx + killedLoad.timeouts + killedLoad.errors;

    const results: BenchResult[] = [
      {
        name: `replay flood: one captured click, ${FLOOD_CONNECTIONS} connections for ${FLOOD_SECONDS} s, acknowledged`,
        value: floodResult['2xx'],
        unit: 'requests',
      },
      { name: 'replay flood: RSS before', value: round(idleRss / MiB), unit: 'MiB' },
      { name: 'replay flood: peak RSS during', value: round(rss / MiB), unit: 'MiB' },
      targeted({ name: 'replay flood: /healthz p99 during', value: round(p99), unit: 'ms' }, '<', 1000),
      { name: 'replay flood: /healthz slowest during', value: round(health.at(-1) ?? 0), unit: 'ms' },
      { name: 'kill -9 after the ack: commands acknowledged', value: owed, unit: 'commands' },
      {
        name: 'kill -9 after the ack: commands the load generator gave up on (timeouts, errors)',
        value: unacknowledged,
        unit: 'commands',
      },
      {
        name: 'kill -9 after the ack: unanswered when the process died',
        value: Math.max(0, owed - answeredBeforeKill),
        unit: 'commands',
      },
      {
        name: 'kill -9 after the ack: from the restart to the last answer',
        value: round(catchUp / 1000),
        unit: 's',
      },
      targeted(
        {
          name: 'kill -9 after the ack: answers lost (the next process answers the rest)',
          value: Math.max(0, owed - answeredCommands),
          unit: 'commands',
        },
        '≤',
        0,
      ),
      targeted(
        {
          name: 'kill -9 after the ack: answered twice',
          value: again,
          unit: 'commands',
        },
        '≤',
        0,
      ),
      {
        // A command whose ack came after the load generator's 10 s timeout is recorded and answered all
        // the same: those answers are not duplicates.
        name: 'kill -9 after the ack: answered, though the load generator gave up waiting for the ack',
        value: Math.max(0, answeredCommands - owed),
        unit: 'commands',
      },
    ];
    return { bench: 'durability', database: label, seconds: round(ms(started) / 1000), results };
  } finally {
    for (const p of running.reverse()) await p.stop(5000).catch(() => undefined);
    await bench.dispose();
  }
}
