import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, embeddedHolder, stateInProcStat, takeLock } from '../../db/data-folder.js';

describe('the state of a process, read from /proc/PID/stat', () => {
  it('is the letter after the command', () => {
    expect(stateInProcStat('4242 (node) S 1 4242 4242 0 -1 4194560 2950')).toBe('S');
    expect(stateInProcStat('4242 (transfer worker) Z 1 4242 4242 0 -1 4227148 0')).toBe('Z');
  });

  it('follows the last parenthesis, as a command may name itself with parentheses and spaces', () => {
    // A process that called itself "x) Z (y": read from the first ')', it would look like a zombie.
    expect(stateInProcStat('4242 (x) Z (y) S 1 4242 4242 0 -1 4194560 2950')).toBe('S');
    expect(stateInProcStat('4242 ((sd-pam)) R 1 4242 4242 0 -1 4194560 2950')).toBe('R');
  });

  it('is unknown in a line that is no stat line', () => {
    expect(stateInProcStat('')).toBeUndefined();
    expect(stateInProcStat('4242 (node')).toBeUndefined();
    expect(stateInProcStat('4242 (node)')).toBeUndefined();
  });
});

/** The state of a process now, read as the lock reads it. */
function stateOf(pid: number): string | undefined {
  try {
    return stateInProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

describe.runIf(process.platform === 'linux')('the lock on the embedded database’s folder (Linux)', () => {
  let dir: string;
  let parent: ChildProcess;
  let zombie: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'data-folder-lock-'));
    // The shell starts a child that exits at once, then becomes `sleep`, which never waits for it: the
    // child stays a zombie as long as its parent lives.
    parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 120'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [firstLine] = (await once(parent.stdout!, 'data')) as [Buffer];
    zombie = Number(firstLine.toString().trim());
    const deadline = Date.now() + 10_000;
    while (stateOf(zombie) !== 'Z' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => {
    parent.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is taken over from a process that exited, even one its parent has not reaped yet', () => {
    expect(stateOf(zombie)).toBe('Z');
    writeFileSync(join(dir, 'lock.pid'), String(zombie));
    expect(embeddedHolder(dir)).toBeUndefined();
    const release = takeLock(dir);
    expect(readFileSync(join(dir, 'lock.pid'), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('is refused while the process that holds it lives, naming it', () => {
    const holder = parent.pid!;
    expect(stateOf(holder)).toMatch(/^[RSD]$/);
    writeFileSync(join(dir, 'lock.pid'), String(holder));
    expect(embeddedHolder(dir)).toBe(holder);
    expect(() => takeLock(dir)).toThrow(DatabaseLockedError);
    expect(() => takeLock(dir)).toThrow(`in use by process ${holder}`);
  });
});
