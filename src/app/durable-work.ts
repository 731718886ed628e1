import type { WorkItem, WorkRepository } from './ports/work.js';
import { groupedWrite } from './grouped-write.js';
import { WaitingSubmissions, type Submission, type Submitted } from './waiting-submissions.js';
import type { WorkQueue } from './work-queue.js';

export type { Submission, Submitted } from './waiting-submissions.js';

export interface DurableWorkOptions {
  work: WorkRepository;
  /** Items of this surface are claimed here (`slack`, `teams`). */
  surface: string;
  /** Where the work runs, a few at a time: the surface's bounded queue. */
  queue: WorkQueue;
  /** Does a claimed item's work: what the surface would have done right after the ack. */
  run: (item: WorkItem) => Promise<void>;
  /** How long a claim holds without news from its holder (default 30 s); renewed every third of it. */
  leaseMs?: number;
  /** How often items nobody holds are looked for (default 1 s). */
  pollMs?: number;
  /** How long recording a request may take before its work runs from memory instead (default 1 s). */
  recordTimeoutMs?: number;
  /** Done items are kept this long, to recognise the same request sent again (default 10 min). */
  keepMs?: number;
  /**
   * Requests answered by a message of their own (`submit`) that the database could not record are kept
   * in memory this long at most, to be recorded and answered once it is back (default 2 min)…
   */
  waitMs?: number;
  /** …and this many at most (default 200); past either, `abandon` is told. */
  waitLimit?: number;
  /** A submitted request the database never took: the surface tells the person to send it again. */
  abandon?: (request: Submission) => Promise<void>;
  /**
   * Where submitted requests waiting for the database are also written, before their ack, so that they
   * outlive a process killed meanwhile: the next one to start records and answers them.
   */
  spoolFile?: string;
  /**
   * The only instance on this database (the embedded one belongs to one process): at start, items still
   * held by a process that died are taken over at once instead of when their lease runs out.
   */
  sole?: boolean;
  onError: (err: unknown, what: string) => void;
  clock?: () => Date;
}

/** What became of a request offered before its ack. */
export type Accepted =
  /** Recorded and held here: run it now (through `slot`), then `done`. */
  | { kind: 'held'; id: number }
  /** Recorded, but the queue is full: any instance claims it when it has room. */
  | { kind: 'deferred'; id: number }
  /** The same request was recorded already (a replay, a platform's retry): nothing to do. */
  | { kind: 'replay' }
  /** The database did not answer: run it from memory, as before durability. */
  | { kind: 'unrecorded' };

/**
 * How a request is answered. `own-message`: by a message of its own, which may come after the ack and
 * from another instance (a command typed in a chat). `in-response`: in the HTTP response itself (a card
 * click whose answer is the updated card), or with a handle that lasts seconds (a modal's trigger).
 */
export type AnswerRoute = 'own-message' | 'in-response';

/** Whether a request is recorded before its ack and answered after it, by whichever instance runs it. */
export function answeredAfterAck(route: AnswerRoute): boolean {
  return route === 'own-message';
}

/** A place in the queue, held until `release` is called. */
export type Release = () => void;

/**
 * Acknowledged work, kept in the database until done. A request is recorded before its ack (so a
 * process that dies after the ack leaves it behind), held by this instance under a lease it renews,
 * and run through the surface's bounded queue. Items nobody holds — left by a process that died or
 * stopped, or recorded while the queue was full — are claimed with FOR UPDATE SKIP LOCKED by whichever
 * instance looks first, so each runs once.
 */
export class DurableWork {
  private readonly held = new Set<number>();
  /** Held, and not started: what a shutdown hands over. */
  private readonly notStarted = new Set<number>();
  private readonly handedOver = new Set<number>();
  /** Submitted while the database did not answer. */
  private readonly waiting: WaitingSubmissions;
  private poller: NodeJS.Timeout | undefined;
  private renewer: NodeJS.Timeout | undefined;
  private lastPurge = 0;
  private polling = false;
  private stopped = false;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly keepMs: number;
  private readonly clock: () => Date;
  /** Items done at the same moment (a burst of clicks) are marked in one statement. */
  private readonly finish = groupedWrite<number>((ids) => this.o.work.finish(ids, this.clock()));

  constructor(private readonly o: DurableWorkOptions) {
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollMs = o.pollMs ?? 1000;
    this.keepMs = o.keepMs ?? 10 * 60_000;
    this.clock = o.clock ?? (() => new Date());
    this.startedAt = this.clock().getTime();
    this.waiting = new WaitingSubmissions({
      record: (request) => this.record(request),
      ...(o.recordTimeoutMs !== undefined ? { recordTimeoutMs: o.recordTimeoutMs } : {}),
      ...(o.waitMs !== undefined ? { waitMs: o.waitMs } : {}),
      ...(o.waitLimit !== undefined ? { waitLimit: o.waitLimit } : {}),
      ...(o.abandon ? { abandon: o.abandon } : {}),
      ...(o.spoolFile ? { spoolFile: o.spoolFile } : {}),
      onError: o.onError,
      clock: this.clock,
    });
  }

  /** When this instance began: every lease taken before then belongs to a process that has ended. */
  private readonly startedAt: number;

  /**
   * The moment a lease must have run out by to be claimed. Alone on the database, a lease that ends
   * before this instance's first lease could is one taken by a process that died: it is claimed at
   * once, not when it runs out, while this instance's own leases (all taken since it began) are not.
   */
  private claimableAsOf(): Date {
    const now = this.clock().getTime();
    return new Date(this.o.sole ? Math.max(now, this.startedAt + this.leaseMs - 1) : now);
  }

  private leaseEnd(): Date {
    return new Date(this.clock().getTime() + this.leaseMs);
  }

  /**
   * Records a request before its ack. `recordOnly`: the work cannot wait for another instance (it must
   * answer within Slack's three seconds), so the request is kept only to recognise it again.
   */
  async accept(
    requestKey: string,
    kind: string,
    payload: Record<string, unknown>,
    recordOnly = false,
  ): Promise<Accepted> {
    const now = this.clock();
    const room = !this.stopped && this.o.queue.hasRoom();
    try {
      const recording = this.o.work.accept({ requestKey, surface: this.o.surface, kind, payload }, now, {
        leaseUntil: recordOnly || !room ? null : this.leaseEnd(),
        ...(recordOnly ? { doneAt: now } : {}),
      });
      // A database that does not answer (cut off, overloaded) must not hold up the ack.
      let timer: NodeJS.Timeout | undefined;
      const late = Symbol('late');
      const id = await Promise.race([
        recording,
        new Promise<typeof late>((resolve) => {
          timer = setTimeout(() => resolve(late), this.o.recordTimeoutMs ?? 1000);
        }),
      ]).finally(() => clearTimeout(timer));
      if (id === late) {
        // Done from memory now; recorded late, it is marked done so that nobody does it again.
        recording
          .then((lateId) => (lateId === null ? undefined : this.finish(lateId)))
          .catch(() => undefined);
        this.o.onError(new Error('the database took too long'), 'could not record acknowledged work');
        return { kind: 'unrecorded' };
      }
      if (id === null) return { kind: 'replay' };
      if (recordOnly) return { kind: 'unrecorded' };
      if (!room) return { kind: 'deferred', id };
      this.held.add(id);
      return { kind: 'held', id };
    } catch (err) {
      this.o.onError(err, 'could not record acknowledged work');
      return { kind: 'unrecorded' };
    }
  }

  /**
   * Records a request answered by a message of its own, then runs it through `run` like any claimed item
   * (here when the queue has room, otherwise on the first instance that has). Returns within
   * `recordTimeoutMs`: a database that does not answer by then leaves the request waiting (in memory, and
   * in the spool file when there is one), and each poll tries to record it again, so that it is answered
   * once the database is back.
   */
  submit(request: Submission): Promise<Submitted> {
    return this.waiting.submit(request);
  }

  /** Records a submitted request; on success it is run here or left for another instance. */
  private async record({ requestKey, kind, payload }: Submission): Promise<'recorded' | 'replay'> {
    const room = !this.stopped && this.o.queue.hasRoom();
    const id = await this.o.work.accept(
      { requestKey, surface: this.o.surface, kind, payload },
      this.clock(),
      {
        leaseUntil: room ? this.leaseEnd() : null,
      },
    );
    if (id === null) return 'replay';
    if (room) this.runClaimed({ id, surface: this.o.surface, kind, payload, attempts: 0 });
    return 'recorded';
  }

  /** Submitted requests not recorded yet (the database did not answer). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /**
   * Waits for a place in the queue for the rest of a request's work (after its ack). An item handed
   * over at shutdown never gets one: another instance does it.
   */
  slot(id: number | undefined): Promise<Release> {
    if (id !== undefined) this.notStarted.add(id);
    return new Promise((resolve) => {
      const job = () =>
        new Promise<void>((finished) => {
          if (id !== undefined) {
            if (this.handedOver.has(id)) return finished();
            this.notStarted.delete(id);
          }
          resolve(finished);
        });
      // Taken even when full (it was acknowledged), in turn with the rest.
      this.o.queue.admit(job);
    });
  }

  /** The item's work is over (done, or failed and told): it is not run again. */
  async done(id: number): Promise<void> {
    this.held.delete(id);
    this.notStarted.delete(id);
    try {
      await this.finish(id);
    } catch (err) {
      this.o.onError(err, 'could not mark acknowledged work done');
    }
  }

  /**
   * Starts looking for items nobody holds, and renewing the leases of those held here; what a previous
   * process kept in the spool is recorded with the first polls.
   */
  start(): void {
    if (this.poller) return;
    this.stopped = false;
    void this.waiting.restore().then(() => this.poll());
    this.poller = setInterval(() => void this.poll(), this.pollMs);
    this.poller.unref();
    this.renewer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.renewer.unref();
    void this.poll();
  }

  /** Claims what this instance has room for and runs it. Resolves when the claim is made. */
  async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    this.waiting.retry();
    try {
      const room = Math.min(20, this.roomLeft());
      if (room > 0) {
        const items = await this.o.work.claim(this.o.surface, this.claimableAsOf(), this.leaseEnd(), room);
        for (const item of items) this.runClaimed(item);
      }
      const now = this.clock().getTime();
      if (now - this.lastPurge > this.keepMs / 2) {
        this.lastPurge = now;
        await this.o.work.purge(new Date(now - this.keepMs));
      }
    } catch (err) {
      this.o.onError(err, 'could not claim acknowledged work');
    } finally {
      this.polling = false;
    }
  }

  private roomLeft(): number {
    return Math.max(0, this.o.queue.capacity - this.o.queue.size);
  }

  private runClaimed(item: WorkItem): void {
    this.held.add(item.id);
    this.notStarted.add(item.id);
    const job = async () => {
      if (this.handedOver.has(item.id)) return;
      this.notStarted.delete(item.id);
      try {
        await this.o.run(item);
      } catch (err) {
        this.o.onError(err, 'acknowledged work failed');
      } finally {
        await this.done(item.id);
      }
    };
    this.o.queue.admit(job);
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    try {
      await this.o.work.extend([...this.held], this.leaseEnd());
    } catch (err) {
      this.o.onError(err, 'could not renew the lease on acknowledged work');
    }
  }

  /**
   * Stops claiming. Work already running or waiting is given most of `graceMs` to finish; what has not
   * started by then is let go in the database, so the next instance to look (another one now, or this
   * one's successor at start) does it at once; what is still running is waited for until `graceMs`.
   * Past that, its lease runs out and another instance does it again.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearInterval(this.renewer);
    this.poller = undefined;
    this.renewer = undefined;
    const started = Date.now();
    // What still waits for the database stays in the spool for the next process to start.
    await this.waiting.close();
    if (await this.drainedWithin(graceMs * 0.6)) return;
    const leaving = [...this.notStarted];
    for (const id of leaving) this.handedOver.add(id);
    try {
      await this.o.work.release(leaving);
    } catch (err) {
      this.o.onError(err, 'could not hand over acknowledged work');
    }
    await this.drainedWithin(Math.max(0, graceMs - (Date.now() - started)));
  }

  private async drainedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      this.o.queue.drained().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
    clearTimeout(timer);
    return done;
  }
}
