import { describe, expect, it } from 'vitest';
import { pgErrorCode } from '../../db/client.js';

const failed = (code: string) =>
  new Error('Failed query', { cause: Object.assign(new Error(code), { code }) });

describe('the PostgreSQL error behind a failed write', () => {
  it('is read through the query error that wraps it', () => {
    expect(pgErrorCode(failed('40P01'))).toBe('40P01');
    expect(pgErrorCode(new Error('no code'))).toBeUndefined();
  });

  it('of writes sent together, is the cause, not the knock-on "transaction is aborted" that settled first', () => {
    const together = new AggregateError([failed('25P02'), failed('23505'), failed('25P02')]);
    expect(pgErrorCode(together)).toBe('23505');
    expect(pgErrorCode(new AggregateError([failed('25P02')]))).toBe('25P02');
  });
});
