import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/app/work-queue.js';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('the work queue behind an acknowledgement', () => {
  it('runs a few jobs at a time, refuses beyond its backlog, and says when all are done', async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue(2, 3, (err) => errors.push(err));
    const g = gate();
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    const job = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await g.opened;
      running -= 1;
      finished.push(n);
    };
    expect(queue.offer(job(1))).toBe(true);
    expect(queue.offer(job(2))).toBe(true);
    expect(queue.offer(job(3))).toBe(true);
    // Full: the caller answers "busy" and nothing more is queued.
    expect(queue.hasRoom()).toBe(false);
    expect(queue.offer(job(4))).toBe(false);
    expect(queue.size).toBe(3);

    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    const done = queue.drained();
    g.open();
    await done;
    expect(most).toBe(2);
    expect(finished.sort()).toEqual([1, 2, 3]);
    expect(queue.hasRoom()).toBe(true);
  });

  it('reports a failing job and goes on with the next', async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue(1, 10, (err) => errors.push(err));
    let ran = false;
    queue.offer(async () => {
      throw new Error('boom');
    });
    queue.offer(async () => {
      ran = true;
    });
    await queue.drained();
    expect((errors[0] as Error).message).toBe('boom');
    expect(ran).toBe(true);
  });
});
