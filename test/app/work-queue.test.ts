import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestGauge, WorkQueue } from '../../src/app/work-queue.js';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('the work queue behind an acknowledgement', () => {
  it('runs a few jobs at a time, refuses beyond its backlog, and says when all are done', async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue({ concurrency: 2, capacity: 3, onError: (err) => errors.push(err) });
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
    const queue = new WorkQueue({ concurrency: 1, capacity: 10, onError: (err) => errors.push(err) });
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

  describe('while requests wait for their acknowledgement', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('works one job at a time and a tenth of the time, then catches up at full speed', async () => {
      vi.useFakeTimers();
      let pressed = true;
      const queue = new WorkQueue({
        concurrency: 4,
        capacity: 100,
        onError: () => undefined,
        pressure: () => pressed,
      });
      const starts: number[] = [];
      let running = 0;
      let most = 0;
      // Each job takes 10 ms (a database read and an answer, say).
      const job = async () => {
        starts.push(Date.now());
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        running -= 1;
      };
      const t0 = Date.now();
      for (let i = 0; i < 8; i++) queue.offer(job);
      await vi.advanceTimersByTimeAsync(250);
      // At once, then 10 ms of work and 90 ms of rest before each next one (a tick or two more).
      expect(starts).toHaveLength(3);
      expect(starts[0]! - t0).toBeLessThan(5);
      for (const gap of [starts[1]! - starts[0]!, starts[2]! - starts[1]!]) {
        expect(gap).toBeGreaterThanOrEqual(100);
        expect(gap).toBeLessThan(110);
      }
      expect(most).toBe(1);

      // The burst is over: what is left runs four at a time.
      pressed = false;
      await vi.advanceTimersByTimeAsync(100);
      expect(starts).toHaveLength(8);
      expect(most).toBe(4);
      await queue.drained();
    });

    it('does not hold the others behind one slow job once the requests are acknowledged', async () => {
      vi.useFakeTimers();
      let pressed = false;
      const queue = new WorkQueue({
        concurrency: 4,
        capacity: 100,
        onError: () => undefined,
        pressure: () => pressed,
      });
      // One person's command waits on a Slack call that hangs for 30 s.
      let release = () => undefined as void;
      queue.offer(() => new Promise<void>((resolve) => (release = resolve)));
      await vi.advanceTimersByTimeAsync(1);
      // Another person's command arrives: its own request is in flight when it is queued.
      pressed = true;
      let answered = false;
      queue.offer(async () => {
        answered = true;
      });
      await vi.advanceTimersByTimeAsync(1);
      expect(answered).toBe(false);
      // Its ack is out: it runs beside the slow one, not 30 s later.
      pressed = false;
      await vi.advanceTimersByTimeAsync(100);
      expect(answered).toBe(true);
      release();
      await queue.drained();
    });

    it('takes acknowledged work past a full backlog, and runs it in turn, resting like the rest', async () => {
      vi.useFakeTimers();
      const queue = new WorkQueue({
        concurrency: 4,
        capacity: 2,
        onError: () => undefined,
        pressure: () => true,
      });
      const starts: number[] = [];
      const job = async () => {
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, 10));
      };
      const t0 = Date.now();
      queue.offer(job);
      queue.offer(job);
      expect(queue.hasRoom()).toBe(false);
      // Acknowledged while the backlog filled: it must be done, and it waits for its turn.
      queue.admit(job);
      queue.admit(job);
      expect(queue.size).toBe(4);
      await vi.advanceTimersByTimeAsync(5);
      expect(starts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(400);
      expect(starts).toHaveLength(4);
      // Each after the one before it and its rest: 10 ms of work, 90 ms for the acknowledgements.
      const gaps = starts.map((at, i) => at - (i === 0 ? t0 : starts[i - 1]!));
      expect(gaps[0]).toBeLessThan(5);
      for (const gap of gaps.slice(1)) {
        expect(gap).toBeGreaterThanOrEqual(100);
        expect(gap).toBeLessThan(110);
      }
      await queue.drained();
    });

    it('starts a lone command at once, with its own request still open', async () => {
      const gauge = new RequestGauge();
      const queue = new WorkQueue({
        concurrency: 4,
        capacity: 10,
        onError: () => undefined,
        pressure: gauge.pressed,
      });
      const closes: (() => void)[] = [];
      gauge.track({}, { once: (_e: 'close', l: () => void) => closes.push(l) }, () => undefined);
      expect(gauge.pressed()).toBe(true);
      const began = Date.now();
      let ranAt = 0;
      queue.offer(async () => {
        ranAt = Date.now();
      });
      await queue.drained();
      expect(ranAt - began).toBeLessThan(50);
      closes[0]!();
      await new Promise((r) => setTimeout(r, 20));
      expect(gauge.pressed()).toBe(false);
    });
  });
});
