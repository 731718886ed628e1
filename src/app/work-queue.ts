/**
 * Work a surface accepted and answers later (after Slack's ack, say): a few jobs at a time, and a
 * bounded backlog. When the backlog is full the surface says "busy, try again" at once instead of
 * letting every request slow down together — the acknowledgement stays fast whatever the load.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly capacity: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Jobs accepted and not finished. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  hasRoom(): boolean {
    return this.size < this.capacity;
  }

  /** Accepts a job, or answers false when the backlog is full (nothing is queued then). */
  offer(job: () => Promise<void>): boolean {
    if (!this.hasRoom()) return false;
    this.waiting.push(job);
    this.pump();
    return true;
  }

  /** Resolves once every accepted job has finished (graceful shutdown). */
  drained(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running += 1;
      // Started from the event loop's check phase, so requests already read are acknowledged first.
      setImmediate(() => {
        job()
          .catch(this.onError)
          .finally(() => {
            this.running -= 1;
            this.pump();
            if (this.size === 0) for (const resolve of this.idle.splice(0)) resolve();
          });
      });
    }
  }
}
