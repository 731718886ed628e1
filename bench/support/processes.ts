import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledIsCurrent } from '../../bin/compiled.js';
import { CLOCK_TICKS, machineBusySince } from './machine.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Started {
  child: ChildProcess;
  /** Everything it printed, for the error message when it does not come up. */
  output(): string;
  /** SIGTERM, then waits for it to end (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a process of ours (never a shell), collecting what it prints. */
export function start(command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => printed,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ended;
      clearTimeout(timer);
    },
  };
}

/** Waits for the first line of stdout that is JSON (`{"port": …}`) and returns it. */
export function firstJsonLine<T>(started: Started, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms:\n${started.output()}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (const line of buffer.split('\n').slice(0, -1)) {
        if (!line.startsWith('{')) continue;
        clearTimeout(timer);
        started.child.stdout?.off('data', onData);
        resolve(JSON.parse(line) as T);
        return;
      }
    };
    started.child.stdout?.on('data', onData);
    started.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${String(code)}) before it was ready:\n${started.output()}`));
    });
  });
}

export async function freePort(): Promise<number> {
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

/** Polls `url` until it answers 200. */
export async function waitForOk(url: string, started: Started, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`exited (${started.child.exitCode}) before it was ready:\n${started.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${started.output()}`);
}

/** Resident set size of a running process, from /proc (Linux), in bytes. */
export async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * This process's environment without what configures the bot (database, data folder, port, Slack,
 * Teams): a benchmark sets those itself, and never hands a real credential to a bot it starts.
 */
export function neutralEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(DATABASE_URL|DATA_DIR|PORT|HOST|SLACK_|MICROSOFT_|TEAMS_)/.test(name)) continue;
    env[name] = value;
  }
  return env;
}

/** CPU seconds a running process of ours has used so far (user + system), from /proc; null elsewhere. */
export function cpuSeconds(started: Started): number | null {
  const split = cpuSplit(started);
  return split === null ? null : split.user + split.system;
}
/** A process's CPU time so far, in seconds, in user space and in the kernel (its system calls). */
function cpuSplit(started: Started): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${started.child.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ": utime and stime are 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/**
 * Starts counting the CPU a process of ours uses over a window, beside this benchmark's own and the whole
 * machine's (the database server on the same machine among it). The returned function ends the window and
 * says it in words, each figure in seconds ('?' where it cannot be known).
 */
export function cpuWindow(started: Started): () => string {
  const before = cpuSplit(started);
  const machine = machineBusySince();
  const own = process.cpuUsage();
  return () => {
    const after = cpuSplit(started);
    const machineSeconds = machine();
    const ownUsage = process.cpuUsage(own);
    const s = (seconds: number) => String(Math.round(seconds * 100) / 100);
    const process_ =
      before === null || after === null
        ? '?'
        : `${s(after.user - before.user + after.system - before.system)} s (user ${s(after.user - before.user)}, system ${s(after.system - before.system)})`;
    return `${process_}, the benchmark's own ${s((ownUsage.user + ownUsage.system) / 1e6)} s, the whole machine's ${machineSeconds === null ? '?' : s(machineSeconds)} s`;
  };
}

/**
 * How `npm start` and the installed `transfer-bot` run the bot: node with the flags of bin/transfer-bot.js's
 * first line, then that file. Refused while dist/ is older than a source (`npm run bench` builds it first):
 * the bot would then compile its sources on load, which costs it seconds at start and about 45 MiB held.
 */
export function botCommand(...args: string[]): [string, string[]] {
  if (!compiledIsCurrent())
    throw new Error(
      'dist/ is older than the sources: run `npm run build` (or `npm run bench`, which builds)',
    );
  const shebang =
    readFileSync(new URL('../../bin/transfer-bot.js', import.meta.url), 'utf8').split('\n')[0] ?? '';
  const flags = shebang.split(/\s+/).filter((word) => word.startsWith('--'));
  return [process.execPath, [...flags, 'bin/transfer-bot.js', ...args]];
}
