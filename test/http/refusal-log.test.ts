import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { refusalLog } from '../../adapters/http/refusal-log.js';

/** A logger at debug whose lines are kept, parsed. */
function capturing() {
  const lines: { level: number; msg: string; team?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const WARN = 40;
const DEBUG = 20;

describe('refusals in the log', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('warns of the first refusal of each kind, keeps the rest at debug, and warns again ten minutes on', () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T09:00:00Z') });
    const { logger, lines } = capturing();
    const refused = refusalLog(logger, 'request refused');
    for (let i = 0; i < 50; i++) refused('another workspace:T0OUTSIDE', { team: 'T0OUTSIDE' });
    refused('another workspace:T0ELSEWHERE', { team: 'T0ELSEWHERE' });
    expect(lines.filter((l) => l.level === WARN).map((l) => l.team)).toEqual(['T0OUTSIDE', 'T0ELSEWHERE']);
    expect(lines.filter((l) => l.level === DEBUG)).toHaveLength(49);
    expect(new Set(lines.map((l) => l.msg))).toEqual(new Set(['request refused']));

    vi.setSystemTime(new Date('2026-12-07T09:10:01Z'));
    refused('another workspace:T0OUTSIDE', { team: 'T0OUTSIDE' });
    expect(lines.at(-1)).toMatchObject({ level: WARN, team: 'T0OUTSIDE' });
  });

  it('remembers a bounded number of kinds, however many forged ones arrive', () => {
    const { logger, lines } = capturing();
    const refused = refusalLog(logger, 'request refused');
    for (let i = 0; i < 1000; i++) refused(`kind ${i}`, {});
    refused('kind 999', {});
    // Every new kind warned once; the map was emptied as it filled, the latest kinds still known.
    expect(lines.filter((l) => l.level === WARN)).toHaveLength(1000);
    expect(lines.at(-1)?.level).toBe(DEBUG);
  });
});
