import { SubmissionSpool, type Submission } from './submission-spool.js';

export type { Submission } from './submission-spool.js';

/** What became of a submitted request by the time its ack is due. */
export type Submitted =
  /** Recorded: it runs here, or on whichever instance has room first. */
  | 'recorded'
  /** The same request was recorded already: nothing to do. */
  | 'replay'
  /** The database did not answer: kept here, recorded and run once it does. */
  | 'waiting';

export interface WaitingSubmissionsOptions {
  /** Records a request in the database (and runs it, or leaves it for another instance); throws when it cannot. */
  record: (request: Submission) => Promise<'recorded' | 'replay'>;
  /** How long recording may take before the ack goes out with the request kept here (default 1 s). */
  recordTimeoutMs?: number;
  /** How long a request is kept at most (default 2 min)… */
  waitMs?: number;
  /** …and how many at most (default 200); past either, `abandon` is told. */
  waitLimit?: number;
  abandon?: (request: Submission) => Promise<void>;
  /** A file the requests kept are written to before their ack, so that they outlive this process. */
  spoolFile?: string;
  onError: (err: unknown, what: string) => void;
  clock: () => Date;
}

interface Waiting {
  request: Submission;
  since: number;
  trying: boolean;
  /** Recorded, or given up: it waits no more. */
  over: boolean;
  /** Resolves once it is on disk (or could not be written). */
  written?: Promise<void>;
}

/**
 * Submitted requests the database did not record in time, kept until it does: in memory, and in a spool
 * file when one is given, so that a process killed meanwhile leaves them to the next one to start.
 */
export class WaitingSubmissions {
  /** Oldest first. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly spool: SubmissionSpool | undefined;

  /** How many are kept at most. */
  private get limit(): number {
    return this.o.waitLimit ?? 200;
  }

  constructor(private readonly o: WaitingSubmissionsOptions) {
    this.spool = o.spoolFile ? new SubmissionSpool(o.spoolFile) : undefined;
  }

  /** Submitted requests not recorded yet. */
  get size(): number {
    return this.waiting.size;
  }

  /**
   * Records the request, or within `recordTimeoutMs` keeps it to record later. Kept, it is on disk
   * (with a spool) by the time this resolves, so the ack that follows cannot outlive it.
   */
  async submit(request: Submission): Promise<Submitted> {
    if (this.waiting.has(request.requestKey)) return 'replay';
    const entry: Waiting = { request, since: this.o.clock().getTime(), trying: false, over: false };
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.attempt(entry),
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), this.o.recordTimeoutMs ?? 1000);
      }),
    ]).finally(() => clearTimeout(timer));
    if (outcome !== 'late' && outcome !== 'failed') return outcome;
    // Still being recorded, or failed: either way it is not lost.
    if (!entry.over) await this.keep(entry);
    return 'waiting';
  }

  /** Tries again to record every request kept, giving up on those kept too long. */
  retry(): void {
    const tooOld = this.o.clock().getTime() - (this.o.waitMs ?? 120_000);
    for (const entry of [...this.waiting.values()]) {
      if (entry.since < tooOld) this.giveUp(entry);
      else if (!entry.trying) void this.attempt(entry);
    }
  }

  /** Takes back what a previous process kept in the spool; `retry` records it. */
  async restore(): Promise<number> {
    if (!this.spool) return 0;
    try {
      const requests = await this.spool.restore();
      // A full wait from now: the database may have been out of reach since that process died.
      const since = this.o.clock().getTime();
      const restored = requests
        .filter((request) => !this.waiting.has(request.requestKey))
        .map((request): Waiting => ({ request, since, trying: false, over: false }));
      // No more than the limit, here as when they were kept: the oldest restored beyond it are given up
      // (requests received since this process started are newer than any of them).
      const room = Math.max(0, this.limit - this.waiting.size);
      const beyond = Math.max(0, restored.length - room);
      for (const entry of restored) this.waiting.set(entry.request.requestKey, entry);
      for (const entry of restored.slice(0, beyond)) this.giveUp(entry);
      return requests.length;
    } catch (err) {
      this.o.onError(err, 'could not read the requests kept while the database did not answer');
      return 0;
    }
  }

  async close(): Promise<void> {
    await this.spool?.close();
  }

  private async attempt(entry: Waiting): Promise<'recorded' | 'replay' | 'failed'> {
    entry.trying = true;
    try {
      const outcome = await this.o.record(entry.request);
      this.leave(entry);
      return outcome;
    } catch (err) {
      if (!this.waiting.has(entry.request.requestKey)) {
        this.o.onError(err, 'could not record acknowledged work: kept until the database answers');
        await this.keep(entry);
      }
      return 'failed';
    } finally {
      entry.trying = false;
    }
  }

  private keep(entry: Waiting): Promise<void> {
    if (entry.over) return Promise.resolve();
    const kept = this.waiting.get(entry.request.requestKey);
    if (kept) return kept.written ?? Promise.resolve();
    this.waiting.set(entry.request.requestKey, entry);
    entry.written = (this.spool?.keep(entry.request) ?? Promise.resolve()).catch((err: unknown) =>
      this.o.onError(err, 'could not write acknowledged work to disk: kept in memory only'),
    );
    if (this.waiting.size > this.limit) {
      const oldest = this.waiting.values().next().value;
      if (oldest) this.giveUp(oldest);
    }
    return entry.written;
  }

  /** Recorded or given up: no longer kept, here nor on disk. */
  private leave(entry: Waiting): void {
    entry.over = true;
    const key = entry.request.requestKey;
    if (this.waiting.get(key) !== entry) return;
    this.waiting.delete(key);
    if (!this.spool) return;
    const written =
      this.waiting.size === 0
        ? this.spool.clear()
        : this.spool.left(key, () => [...this.waiting.values()].map((w) => w.request));
    written.catch((err: unknown) => this.o.onError(err, 'could not write acknowledged work to disk'));
  }

  private giveUp(entry: Waiting): void {
    this.leave(entry);
    this.o.onError(new Error('the database did not come back in time'), 'acknowledged work abandoned');
    void this.o
      .abandon?.(entry.request)
      .catch((err: unknown) => this.o.onError(err, 'could not say work was lost'));
  }
}
