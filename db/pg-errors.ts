import { causeCode } from '../src/app/error-code.js';

/** A server's address as messages may show it: any password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // The driver also takes a password as a parameter (`?password=…`, `sslpassword`, `passfile` is a path).
    for (const name of [...u.searchParams.keys()])
      if (/pass(word)?$/i.test(name) && name.toLowerCase() !== 'passfile') u.searchParams.set(name, '***');
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** in_failed_sql_transaction: a statement sent after another of its transaction failed. */
const ABORTED = '25P02';

/**
 * The PostgreSQL error code behind a drizzle "Failed query" error; of several statements' failures
 * together (an AggregateError), the cause's rather than a knock-on "transaction is aborted".
 */
export function pgErrorCode(err: unknown): string | undefined {
  if (err instanceof AggregateError) {
    const codes = err.errors.map(pgErrorCode);
    return codes.find((code) => code !== undefined && code !== ABORTED) ?? codes.find(Boolean);
  }
  return causeCode(err, (code) => /^[0-9A-Z]{5}$/.test(code));
}

/** `db.execute()` gives `{ rows }` on PGlite and an array on postgres.js. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows?: T[] }).rows ?? [];
}
