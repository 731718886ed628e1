import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The embedded database's data folder: who holds it (one process at a time), and what an operator does
 * when it cannot be opened.
 */

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid}; stop that process, or run against a PostgreSQL server with DATABASE_URL`,
    );
  }
}

export class DatabaseOpenError extends Error {
  constructor(
    message: string,
    /** What the operator does about it. */
    readonly fix: string,
  ) {
    super(message);
  }
}

/**
 * What to do when the embedded database's folder cannot be opened, by why: a full disk and a folder that
 * cannot be written keep their data (free space, fix the permissions, start again); only data the engine
 * cannot read is a reason to move the folder away.
 */
export function embeddedOpenFix(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const said = `${typeof e?.code === 'string' ? e.code : ''} ${typeof e?.message === 'string' ? e.message : ''}`;
  if (/\b(ENOSPC|EDQUOT)\b/.test(said))
    return 'the disk is full: free some space and start again (the data is kept)';
  if (/\b(EROFS|EACCES|EPERM)\b/.test(said))
    return 'the folder cannot be written: make it writable for this user, or mount it read-write, and start again (the data is kept)';
  return 'move that folder away to start afresh, or set DATABASE_URL';
}

/** The process holding the embedded database in `dataDir`, if a live one does (its lock file names it). */
export function embeddedHolder(dataDir: string): number | undefined {
  const lockPath = join(resolve(dataDir), 'lock.pid');
  if (!existsSync(lockPath)) return undefined;
  const pid = Number(readFileSync(lockPath, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

/**
 * PGlite holds its data in one process. A second process opening the same folder would corrupt it,
 * so a lock file names the holder; a lock left by a dead process is taken over.
 */
export function takeLock(dataDir: string): () => void {
  const lockPath = join(dataDir, 'lock.pid');
  if (existsSync(lockPath)) {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseLockedError(dataDir, pid);
    }
  }
  writeFileSync(lockPath, String(process.pid));
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // A closed database no longer needs releasing at exit: a process opening many (the tests) keeps no listener.
    process.off('exit', release);
    try {
      if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}

/**
 * Whether `pid` names a process that may still hold the folder. `kill(pid, 0)` also answers for one that has
 * exited but that its parent has not reaped yet (a zombie, or a process being torn down), which holds nothing
 * any more; on Linux its state tells. A state that cannot be read leaves the answer to `kill`.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  const state = linuxProcessState(pid);
  return state !== 'Z' && state !== 'X';
}

function linuxProcessState(pid: number): string | undefined {
  try {
    return stateInProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The state letter (`R`, `S`, `Z` …) of a `/proc/PID/stat` line, `PID (COMMAND) STATE …`. The command is the
 * process's own name, which may hold spaces and parentheses: the state follows the last `)`.
 */
export function stateInProcStat(stat: string): string | undefined {
  const end = stat.lastIndexOf(')');
  return end < 0 ? undefined : /^ ([A-Za-z]) /.exec(stat.slice(end + 1))?.[1];
}
