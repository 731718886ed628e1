import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../adapters/cli/main.js';
import { COMMAND_FLAGS } from './process-flags.js';

/** The command line as an operator runs it. */
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'transfer-bot.js');

/** Node's flags for the command lines the tests start (see process-flags.ts). */
export { COMMAND_FLAGS };

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a command starts with: nothing from the test runner's own beyond PATH and HOME. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env };
}

/** Runs the real command line in a process of its own, with piped standard input. */
export function runProcess(args: string[], env: Record<string, string>, input = ''): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...COMMAND_FLAGS, BIN, ...args], {
      env: cleanEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let running = false;

/**
 * Runs the command line's entry point (what bin/transfer-bot.js calls) in this process: the same
 * parsing, environment checks, database opening and output, without starting Node and loading the code
 * again for each command. For the commands that read no standard input and start nothing that outlives
 * them. The environment is replaced by `env` (as for a process) and what the command writes to standard
 * output and error is collected, for the duration of the call; runs never overlap.
 */
export async function runInProcess(args: string[], env: Record<string, string>): Promise<CommandRun> {
  if (running) throw new Error('runInProcess: one command at a time');
  running = true;
  const savedEnv = process.env;
  let stdout = '';
  let stderr = '';
  const collect =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  process.env = cleanEnv(env);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(collect((text) => (stdout += text)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(collect((text) => (stderr += text)));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = savedEnv;
    running = false;
  }
}
