import { getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { heapCollector, settleMemoryAfterStart, type Collect } from '../../adapters/cli/settle-memory.js';

const MiB = 1024 * 1024;
const nodeMajor = Number(process.versions.node.split('.')[0]);
const youngGeneration = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

describe('a started bot gives back the memory its start used', () => {
  it("reaches V8's collector without exposing it to the bot's code or to contexts made later", () => {
    expect(typeof heapCollector()).toBe('function');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it.runIf(nodeMajor >= 24)('on Node 24 the collection shrinks the young generation', () => {
    // Fill the young generation with short-lived objects, as a start does.
    let kept: { n: number; s: string }[] = [];
    for (let n = 0; n < 2_000_000; n += 1) {
      kept.push({ n, s: `item ${n}` });
      if (kept.length > 100_000) kept = [];
    }
    kept = [];
    expect(youngGeneration()).toBeGreaterThan(4 * MiB);
    heapCollector()!({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    expect(youngGeneration()).toBeLessThanOrEqual(2 * MiB);
  });

  it('collects once, after the delay, and not at all when the bot stops first', async () => {
    const collected: string[] = [];
    const collect =
      (name: string): Collect =>
      (options) =>
        collected.push(`${name}: ${options.flavor}`);
    const cancel = settleMemoryAfterStart(0, collect('stopped first'));
    cancel();
    settleMemoryAfterStart(20, collect('kept running'));
    // The stopped one would have collected before the one still running.
    await vi.waitFor(() => expect(collected).toHaveLength(1));
    expect(collected).toEqual(['kept running: last-resort']);
  });
});
