export interface WorkQueueOptions {
  /** Jobs at once when nothing else is waiting. */
  concurrency: number;
  /** Jobs accepted and not finished, at most; beyond that `offer` says no and the caller answers "busy". */
  capacity: number;
  onError: (err: unknown) => void;
  /**
   * Whether requests are waiting for their acknowledgement right now. While they are, work yields to
   * them: one job at a time, then a rest, so it takes about `shareUnderPressure` of the time.
   */
  pressure?: () => boolean;
  /** Default 0.1: under pressure a job that took 10 ms is followed by 90 ms for the acknowledgements. */
  shareUnderPressure?: number;
  clock?: () => number;
}

const CALM_CHECK_MS = 50;
const MAX_REST_MS = 1000;

/**
 * Work a surface accepted and answers later (after Slack's ack, say): a few jobs at a time, and a
 * bounded backlog. An acknowledgement has a hard deadline (Slack shows an error after three seconds)
 * while an answer through response_url may come minutes later, so when requests are waiting for their
 * ack the work steps aside — one job at a time and a small share of the time — and catches up once the
 * burst is over. When the backlog is full the surface says "busy, try again" at once instead of letting
 * every request slow down together.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private idle: (() => void)[] = [];
  private restUntil = 0;
  private rest: NodeJS.Timeout | undefined;
  private readonly pressure: () => boolean;
  private readonly restFactor: number;
  private readonly clock: () => number;

  constructor(private readonly o: WorkQueueOptions) {
    this.pressure = o.pressure ?? (() => false);
    const share = Math.min(1, Math.max(0.01, o.shareUnderPressure ?? 0.1));
    this.restFactor = 1 / share - 1;
    this.clock = o.clock ?? Date.now;
  }

  /** Jobs accepted and not finished, at most. */
  get capacity(): number {
    return this.o.capacity;
  }

  /** Jobs accepted and not finished. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  hasRoom(): boolean {
    return this.size < this.o.capacity;
  }

  /** Accepts a job, or answers false when the backlog is full (nothing is queued then). */
  offer(job: () => Promise<void>): boolean {
    if (!this.hasRoom()) return false;
    this.waiting.push(job);
    this.pump();
    return true;
  }

  /**
   * Work already acknowledged (the caller found room before its ack, or took it over from the database):
   * taken even when the backlog has filled meanwhile, and run in turn with the rest — stepping aside for
   * acknowledgements like any other job.
   */
  admit(job: () => Promise<void>): void {
    this.waiting.push(job);
    this.pump();
  }

  /** Resolves once every accepted job has finished (graceful shutdown). */
  drained(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (this.rest) return; // the rest's end pumps again
    while (this.waiting.length > 0 && this.running < this.o.concurrency) {
      if (this.pressure()) {
        // One job at a time while acks wait. The one running may be slow (a Slack call that hangs), so
        // the calm is looked for again shortly rather than at its end: the others are not held behind it.
        if (this.running > 0) return this.restFor(CALM_CHECK_MS);
        const left = this.restUntil - this.clock();
        // In short steps, so the backlog is taken up again as soon as the burst is over.
        if (left > 0) return this.restFor(Math.min(left, CALM_CHECK_MS));
      }
      this.start(this.waiting.shift()!);
    }
  }

  private restFor(ms: number): void {
    this.rest = setTimeout(() => {
      this.rest = undefined;
      this.pump();
    }, ms);
  }

  private start(job: () => Promise<void>): void {
    this.running += 1;
    // Started from the event loop's check phase, so requests already read are acknowledged first.
    setImmediate(() => {
      const began = this.clock();
      job()
        .catch(this.o.onError)
        .finally(() => {
          this.running -= 1;
          // A job slowed by a slow Slack or database rests no more than a second: it was mostly waiting.
          if (this.pressure())
            this.restUntil = this.clock() + Math.min(MAX_REST_MS, (this.clock() - began) * this.restFactor);
          this.pump();
          if (this.size === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    });
  }
}

/**
 * Requests received and not yet answered on one route, and how recently one arrived: the pressure a
 * WorkQueue yields to. `track` is express-style middleware.
 */
export class RequestGauge {
  private inFlight = 0;
  private lastArrival = -Infinity;

  constructor(
    /** A request this recent still counts, so the gap between one answer and the next request is not calm. */
    private readonly graceMs = 10,
    private readonly clock: () => number = Date.now,
  ) {}

  readonly track = (
    _req: unknown,
    res: { once(event: 'close', listener: () => void): unknown },
    next: () => void,
  ): void => {
    this.inFlight += 1;
    this.lastArrival = this.clock();
    res.once('close', () => {
      this.inFlight -= 1;
    });
    next();
  };

  readonly pressed = (): boolean => this.inFlight > 0 || this.clock() - this.lastArrival < this.graceMs;
}
