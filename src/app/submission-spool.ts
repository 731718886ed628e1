import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A request handed to `submit`: what the surface needs to answer it later, from any instance. */
export interface Submission {
  requestKey: string;
  kind: string;
  payload: Record<string, unknown>;
}

/** One line of the spool: a request kept, or the key of one that left it (recorded, or given up). */
type SpoolLine = { kept: Submission } | { left: string };

/**
 * Submitted requests the database could not record, on disk: one JSON line each, flushed to the disk
 * before the ack goes out, and a line more when one leaves. A process killed while the database is out
 * of reach leaves them to its successor, which records them at start. Append-only, emptied whenever
 * nothing waits, and written afresh with only what waits once it holds more than twice as many lines
 * (a long outage under steady traffic), so it stays about as small as what waits.
 */
export class SubmissionSpool {
  private handle: Promise<FileHandle> | undefined;
  /** Writes one after the other, in the order they were asked for. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Lines in the file (as this process wrote or rewrote it). */
  private lines = 0;
  /** Closed: writes asked for after that are dropped (the next process records what they were about). */
  private closed = false;

  constructor(private readonly path: string) {}

  private file(): Promise<FileHandle> {
    this.handle ??= mkdir(dirname(this.path), { recursive: true }).then(() => open(this.path, 'a'));
    return this.handle;
  }

  private inTurn<T>(step: () => Promise<T>): Promise<T> {
    const next = this.writing.then(step, step);
    this.writing = next.catch(() => undefined);
    return next;
  }

  private append(line: SpoolLine): Promise<void> {
    return this.inTurn(async () => {
      if (this.closed) return;
      const file = await this.file();
      await file.appendFile(`${JSON.stringify(line)}\n`);
      await file.datasync();
      this.lines += 1;
    });
  }

  /** Kept on disk by the time this resolves. */
  keep(request: Submission): Promise<void> {
    return this.append({ kept: request });
  }

  /** `requestKey` waits no more; `waiting` is what still does, should the file be written afresh. */
  async left(requestKey: string, waiting: () => Submission[]): Promise<void> {
    await this.append({ left: requestKey });
    await this.inTurn(async () => {
      const still = waiting();
      if (this.closed || this.lines <= 2 * still.length + 64) return;
      await this.rewrite(still);
    });
  }

  /** Nothing waits any more: the file is emptied. */
  clear(): Promise<void> {
    return this.inTurn(async () => {
      if (this.closed) return;
      const file = await this.file();
      await file.truncate(0);
      await file.datasync();
      this.lines = 0;
    });
  }

  /** The file replaced, all at once, by one that holds `requests` alone. */
  private async rewrite(requests: Submission[]): Promise<void> {
    await this.closeFile();
    const fresh = `${this.path}.new`;
    const file = await open(fresh, 'w');
    try {
      await file.writeFile(requests.map((kept) => `${JSON.stringify({ kept })}\n`).join(''));
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(fresh, this.path);
    this.lines = requests.length;
  }

  /**
   * The requests a previous process kept and never saw leave, oldest first. The file is rewritten with
   * them alone (a half-written last line, from a process killed while writing it, is dropped).
   */
  restore(): Promise<Submission[]> {
    return this.inTurn(async () => {
      let text: string;
      try {
        text = await readFile(this.path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const kept = new Map<string, Submission>();
      for (const raw of text.split('\n')) {
        const line = parsed(raw);
        if (!line) continue;
        if ('kept' in line) kept.set(line.kept.requestKey, line.kept);
        else kept.delete(line.left);
      }
      const requests = [...kept.values()];
      await this.rewrite(requests);
      return requests;
    });
  }

  /** Once the writes asked for so far are done; nothing is written after. */
  close(): Promise<void> {
    return this.inTurn(() => {
      this.closed = true;
      return this.closeFile();
    });
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}

function parsed(raw: string): SpoolLine | undefined {
  if (!raw.trim()) return undefined;
  try {
    const line = JSON.parse(raw) as Partial<{ kept: Partial<Submission>; left: unknown }>;
    if (typeof line.left === 'string') return { left: line.left };
    const kept = line.kept;
    if (
      typeof kept?.requestKey === 'string' &&
      typeof kept.kind === 'string' &&
      typeof kept.payload === 'object' &&
      kept.payload !== null
    )
      return { kept: { requestKey: kept.requestKey, kind: kept.kind, payload: kept.payload } };
  } catch {
    // A line cut short by a process killed while writing it: nothing was acknowledged for it.
  }
  return undefined;
}
