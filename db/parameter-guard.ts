import type { Logger } from 'drizzle-orm';

/**
 * A query was about to carry text PostgreSQL refuses (NUL, error 22021) or no driver can encode (half a
 * surrogate pair, silently replaced on the way): it is not sent. Every surface refuses such text
 * first (src/text/input-check.ts), so reaching this is a gap there; the error says which parameter,
 * never what it held.
 */
export class UnsafeParameterError extends Error {
  constructor(readonly parameter: number) {
    super(`query parameter $${parameter} holds a NUL or a lone surrogate; the query was not sent`);
    this.name = 'UnsafeParameterError';
  }
}

// String.prototype.isWellFormed (ES2024) is in Node 20 though not in this project's ES2023 typings.
// It answers at once for text with no character beyond U+00FF, which is most parameters.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function isUnsafe(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0') || !isWellFormed(value);
  return Array.isArray(value) && value.some(isUnsafe);
}

/**
 * Drizzle hands every query's parameters to its logger just before sending them, on both drivers and
 * inside transactions: the one place all text reaches the database, so the check stands here. A JSON
 * parameter is text already, its NUL written `\u0000`, which PostgreSQL refuses on its own (22P05).
 */
export const parameterGuard: Logger = {
  logQuery(_query, params) {
    const index = params.findIndex(isUnsafe);
    if (index !== -1) throw new UnsafeParameterError(index + 1);
  },
};
