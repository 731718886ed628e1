import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WaitingSubmissions, type Submission } from '../../src/app/waiting-submissions.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function spoolFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'waiting-'));
  folders.push(folder);
  return join(folder, 'teams-waiting.jsonl');
}

const request = (n: number): Submission => ({ requestKey: `message-${n}`, kind: 'message', payload: { n } });
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** Requests kept while the database does not answer: every attempt to record them fails. */
function outage(file: string, abandoned: Submission[], waitLimit = 5) {
  return new WaitingSubmissions({
    record: () => Promise.reject(new Error('the database does not answer')),
    waitLimit,
    abandon: async (r) => void abandoned.push(r),
    spoolFile: file,
    onError: () => undefined,
    clock: () => new Date(),
  });
}

/** A spool left by a process that kept requests 1…`count` and died. */
const keptBefore = (file: string, count: number) =>
  writeFileSync(
    file,
    Array.from({ length: count }, (_, i) => `${JSON.stringify({ kept: request(i + 1) })}\n`).join(''),
  );

/** How many requests the next process to start would take back from the spool. */
async function takenBackNext(file: string, limit: number): Promise<number> {
  const next = outage(file, [], limit);
  try {
    return await next.restore();
  } finally {
    await next.close();
  }
}

describe('requests kept on disk while the database does not answer', () => {
  it('under steady traffic through a long outage, the file stays about as small as what waits', async () => {
    const file = spoolFile();
    const abandoned: Submission[] = [];
    const waiting = outage(file, abandoned);
    for (let n = 1; n <= 400; n++) expect(await waiting.submit(request(n))).toBe('waiting');
    await waiting.close();
    expect(waiting.size).toBe(5);
    expect(abandoned).toHaveLength(395);
    expect(lines(file).length).toBeLessThanOrEqual(2 * 5 + 64 + 2);

    // The next process finds the five newest, and only them.
    const next = outage(file, []);
    expect(await next.restore()).toBe(5);
    expect(lines(file).map((line) => (JSON.parse(line) as { kept: Submission }).kept.requestKey)).toEqual(
      [396, 397, 398, 399, 400].map((n) => `message-${n}`),
    );
    await next.close();
  });

  it('takes back no more than its limit from the file, telling the oldest beyond it that they were given up', async () => {
    const file = spoolFile();
    keptBefore(file, 10);
    const abandoned: Submission[] = [];
    const waiting = outage(file, abandoned, 3);
    expect(await waiting.restore()).toBe(10);
    expect(waiting.size).toBe(3);
    await expect
      .poll(() => abandoned.map((r) => r.requestKey))
      .toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `message-${n}`));
    await waiting.close();
    // What the next process would take back: the three kept.
    expect(await takenBackNext(file, 3)).toBe(3);
  });

  it('keeps the requests received since it started over older ones taken back from the file', async () => {
    const file = spoolFile();
    keptBefore(file, 10);
    const abandoned: Submission[] = [];
    const waiting = outage(file, abandoned, 5);
    expect(await waiting.submit(request(11))).toBe('waiting');
    expect(await waiting.submit(request(12))).toBe('waiting');
    await waiting.restore();
    expect(waiting.size).toBe(5);
    await expect
      .poll(() => abandoned.map((r) => r.requestKey))
      .toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `message-${n}`));
    await waiting.close();
    // Those given up are gone from the file too: the next process takes back the five kept, and only them.
    expect(await takenBackNext(file, 5)).toBe(5);
  });
});
