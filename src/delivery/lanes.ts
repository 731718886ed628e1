import type { Claimed } from '../app/ports/outbox.js';

/**
 * Lanes: the messages of one recipient about one transfer (or one transfer's card copies) go one after
 * the other, in the order they were written; different lanes go side by side, at most `width` at a time.
 * The claim already holds back a message while an earlier one of its lane is pending, so a lane rarely
 * has more than one row here; messages about no transfer, which the claim does not order, keep theirs
 * in the lane. A lane whose call hangs holds back nobody else's.
 */
export class Lanes {
  private readonly waiting = new Map<string, Claimed[]>();
  /** Lanes with rows waiting for a turn, in the order they asked. */
  private readonly queue: string[] = [];
  private readonly running = new Set<string>();

  constructor(
    private readonly width: number,
    private readonly deliver: (claimed: Claimed) => Promise<void>,
  ) {}

  add(claimed: Claimed): void {
    const key = laneOf(claimed);
    const rows = this.waiting.get(key);
    if (rows) {
      rows.push(claimed);
      return;
    }
    this.waiting.set(key, [claimed]);
    if (!this.running.has(key)) this.queue.push(key);
    this.start();
  }

  /** Rows not started yet, taken out of their lanes (a stopping worker gives them back). */
  takeWaiting(): Claimed[] {
    const rows = [...this.waiting.values()].flat();
    this.waiting.clear();
    this.queue.length = 0;
    return rows;
  }

  private start(): void {
    while (this.running.size < Math.max(1, this.width) && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.running.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    for (let next = this.shift(key); next; next = this.shift(key)) await this.deliver(next);
    this.running.delete(key);
    this.start();
  }

  private shift(key: string): Claimed | undefined {
    const rows = this.waiting.get(key);
    const next = rows?.shift();
    if (rows && rows.length === 0) this.waiting.delete(key);
    return next;
  }
}

function laneOf(claimed: Claimed): string {
  const { recipientUserId, recipientChannel, payload } = claimed.row;
  const transfer = String((payload as { transferId?: unknown }).transferId);
  return recipientUserId !== null
    ? `u:${recipientUserId}:${transfer}`
    : recipientChannel !== null
      ? `c:${recipientChannel}:${transfer}`
      : `t:${transfer}`;
}

/** Whether finishing this row may let the claim take the next of its lane (only rows about a transfer wait). */
export function ordersLane(claimed: Claimed): boolean {
  return typeof (claimed.row.payload as { transferId?: unknown }).transferId === 'string';
}
