import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchServerUrl, openBenchDatabase } from './support/database.js';
import {
  botCommand,
  firstJsonLine,
  freePort,
  rssOf,
  start,
  waitForOk,
  type Started,
  neutralEnv,
} from './support/processes.js';
import { round, targeted, type BenchOutcome, type BenchResult } from './support/results.js';
import { mib, ms } from './support/stats.js';

const IDLE_SECONDS = 30;

/** What loading each large dependency alone costs a Node process, over Node with nothing loaded. */
const PARTS: { label: string; load: string }[] = [
  { label: 'Slack (Bolt)', load: "await import('@slack/bolt')" },
  { label: 'Teams (botbuilder)', load: "await import('botbuilder')" },
  { label: 'Excel (exceljs, loaded on the first export)', load: "await import('exceljs')" },
  {
    label: 'embedded engine code (PGlite, not opened; the open engine is the gap between the two idle bots)',
    load: "await import('@electric-sql/pglite')",
  },
  { label: 'PostgreSQL driver (postgres.js)', load: "await import('postgres')" },
  {
    label: 'TypeScript compiler on load (tsx; not loaded when dist/ is current)',
    load: "await import('tsx/esm/api')",
  },
];

async function partCost(load: string): Promise<number> {
  const script = `${load}; globalThis.gc(); setTimeout(() => console.log(process.memoryUsage().rss), 500);`;
  const measure = (code: string) =>
    new Promise<number>((resolve, reject) => {
      const child = start(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], neutralEnv());
      child.child.once('exit', (exitCode) => {
        const value = Number(child.output().trim().split('\n').pop());
        if (exitCode === 0 && Number.isFinite(value)) resolve(value);
        else reject(new Error(`measuring a part failed:\n${child.output()}`));
      });
    });
  const [bare, loaded] = [await measure(script.replace(load, '')), await measure(script)];
  return loaded - bare;
}

interface ConsoleRun {
  /** Until the console printed its first line: database open, migrated, demo loaded, user chosen. */
  readyMs: number;
  /** Until it answered `help` and exited at the end of its input. */
  exitMs: number;
  exitCode: number | null;
}

/** `transfer-bot console` with `help` on standard input (not a terminal: it answers and exits). */
async function consoleRun(env: NodeJS.ProcessEnv): Promise<ConsoleRun> {
  const t = process.hrtime.bigint();
  const child = start(...botCommand('console'), env);
  let readyMs = -1;
  child.child.stdout?.once('data', () => {
    readyMs = ms(t);
  });
  child.child.stdin?.end('help\n');
  const exitCode = await new Promise<number | null>((resolve) =>
    child.child.once('exit', (code) => resolve(code)),
  );
  const exitMs = ms(t);
  if (exitCode !== 0 || readyMs < 0)
    throw new Error(`the console ended with ${String(exitCode)}:\n${child.output()}`);
  return { readyMs, exitMs, exitCode };
}

/** `transfer-bot import data/demo-inventory.json`, as the README tells an operator trying the bot on a server. */
async function importDemo(env: NodeJS.ProcessEnv): Promise<void> {
  const child = start(...botCommand('import', 'data/demo-inventory.json'), env);
  const exitCode = await new Promise<number | null>((resolve) =>
    child.child.once('exit', (code) => resolve(code)),
  );
  if (exitCode !== 0) throw new Error(`importing the demo inventory failed:\n${child.output()}`);
}

/** A running process left alone for a few seconds (after a collection has had a chance to run). */
async function idleRss(started: Started): Promise<number> {
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const rss = await rssOf(started.child.pid ?? 0);
  if (rss === undefined) throw new Error('cannot read the resident set size (needs /proc)');
  return rss;
}

/**
 * Benchmark 5: how long the console takes to be ready on a fresh machine (first start: a copy of the
 * blank embedded database built with the bot, migrated, the demo inventory loaded) and on the next start
 * (reopen), and how much memory a running bot holds when idle: the console, and the Slack-over-HTTP bot
 * (`start`).
 */
export async function run(): Promise<BenchOutcome> {
  const started = process.hrtime.bigint();
  const dataDir = mkdtempSync(join(tmpdir(), 'transfer-bot-bench-start-'));
  const running: Started[] = [];
  try {
    const inherited = neutralEnv();
    const env = { ...inherited, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const first = await consoleRun(env);
    const reopen = await consoleRun(env);

    // The console left running, waiting for its next command.
    const idleConsole = start(...botCommand('console'), env);
    running.push(idleConsole);
    await new Promise<void>((resolve) => idleConsole.child.stdout?.once('data', () => resolve()));
    const consoleRss = await idleRss(idleConsole);
    idleConsole.child.stdin?.end();
    await idleConsole.stop();

    const results: BenchResult[] = [
      {
        name: 'start: first start of the console (new embedded database, migrate, demo data)',
        value: round(first.readyMs / 1000, 2),
        unit: 's',
        note: `answered "help" and exited after ${round(first.exitMs / 1000, 2)} s`,
      },
      {
        name: 'start: reopen (same data folder)',
        value: round(reopen.readyMs / 1000, 2),
        unit: 's',
        note: `answered "help" and exited after ${round(reopen.exitMs / 1000, 2)} s`,
      },
      {
        name: `start: idle RSS of a running console (after ${IDLE_SECONDS} s)`,
        value: round(mib(consoleRss)),
        unit: 'MiB',
      },
    ];

    // The bot serving Slack over HTTP, its Web API a local stand-in (auth.test at start, then silence):
    // on the embedded database reopened, and on the PostgreSQL server when one is given.
    const standIn = start(process.execPath, ['--import', 'tsx', 'bench/slack-stand-in.ts'], neutralEnv());
    running.push(standIn);
    const apiPort = (await firstJsonLine<{ port: number }>(standIn)).port;
    const slackBot = async (label: string, databaseEnv: NodeJS.ProcessEnv, limitMiB: number) => {
      const port = await freePort();
      const t = process.hrtime.bigint();
      const bot = start(...botCommand('start'), {
        ...env,
        ...databaseEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
        SLACK_BOT_TOKEN: `xoxb-bench-${randomBytes(8).toString('hex')}`,
        SLACK_API_URL: `http://127.0.0.1:${apiPort}/api/`,
      });
      running.push(bot);
      try {
        await waitForOk(`http://127.0.0.1:${port}/healthz`, bot, 60_000);
        results.push({
          name: `start: Slack bot over HTTP on ${label}, to a healthy /healthz`,
          value: round(ms(t) / 1000, 2),
          unit: 's',
        });
        results.push(
          targeted(
            {
              name: `start: idle RSS of the Slack bot on ${label} (after ${IDLE_SECONDS} s)`,
              value: round(mib(await idleRss(bot))),
              unit: 'MiB',
            },
            '≤',
            limitMiB,
          ),
        );
      } catch (err) {
        results.push({
          name: `start: Slack bot over HTTP on ${label}`,
          value: Number.NaN,
          unit: '',
          note: `did not come up: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`,
        });
      }
      await bot.stop();
    };
    await slackBot('the embedded database (reopened)', {}, 320);

    if (benchServerUrl()) {
      // The same console against the PostgreSQL server, given the demo inventory as an operator would
      // (a server database is never seeded by the bot).
      const server = await openBenchDatabase('start');
      await server.close();
      try {
        const pgEnv = { ...inherited, ...server.env, LOG_LEVEL: 'warn' };
        await importDemo(pgEnv);
        const pgFirst = await consoleRun(pgEnv);
        const pgAgain = await consoleRun(pgEnv);
        results.push({
          name: `start: console on ${server.label}, first start`,
          value: round(pgFirst.readyMs / 1000, 2),
          unit: 's',
        });
        results.push({
          name: `start: console on ${server.label}, again`,
          value: round(pgAgain.readyMs / 1000, 2),
          unit: 's',
        });
        await slackBot(server.label, server.env, 128);
      } finally {
        await server.dispose();
      }
    }
    for (const part of PARTS) {
      results.push({
        name: `start: memory of ${part.label}`,
        value: round(mib(await partCost(part.load))),
        unit: 'MiB',
      });
    }
    return {
      bench: 'startup',
      database: 'embedded (PGlite, on disk), in a fresh DATA_DIR',
      seconds: round(ms(started) / 1000),
      results,
    };
  } finally {
    for (const p of running) await p.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
