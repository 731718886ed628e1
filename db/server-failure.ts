import { DatabaseOpenError } from './data-folder.js';

/**
 * Why a PostgreSQL server at `where` (a redacted DATABASE_URL) refused a connection or did not answer, and
 * what the operator does about it; undefined when `err` is something else (a failed statement, say). One
 * reading for `start`, `migrate` and `doctor`, so that they name the same cause in the same words.
 */
export function explainServerFailure(err: unknown, where: string): DatabaseOpenError | undefined {
  const failure = innermost(err);
  if (!failure) return undefined;
  const said = failure.message;
  switch (failure.code) {
    case '3D000': // invalid_catalog_name
      return new DatabaseOpenError(
        `the PostgreSQL server at ${where} answered: ${said}`,
        'create that database on the server (`createdb NAME`), or correct the database name at the end of DATABASE_URL',
      );
    case '28000': // invalid_authorization_specification: no such role, or pg_hba.conf lets it not in
    case '28P01': // invalid_password
      return new DatabaseOpenError(
        `the PostgreSQL server at ${where} answered: ${said}`,
        'check the user and password in DATABASE_URL (the role must exist on the server and be allowed to connect from here)',
      );
    case '53300': // too_many_connections
    case '57P03': // cannot_connect_now: starting up or shutting down
      return new DatabaseOpenError(
        `the PostgreSQL server at ${where} answered: ${said}`,
        'try again in a moment; if it lasts, check the server (its connection limit, whether it is starting or stopping)',
      );
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'CONNECT_TIMEOUT':
    case 'CONNECTION_CLOSED':
    case 'CONNECTION_ENDED':
    case 'CONNECTION_DESTROYED':
      return new DatabaseOpenError(
        `the PostgreSQL server at ${where} does not answer (${said})`,
        'check the host and port in DATABASE_URL, and that the server runs and this machine may reach it',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseOpenError(
        `the PostgreSQL server at ${where} cannot be found (${said})`,
        'check the host name in DATABASE_URL, and DNS',
      );
    default:
      return undefined;
  }
}

/** The deepest error with a code in a chain of causes (drizzle's "Failed query" wraps the driver's). */
function innermost(err: unknown): { code: string; message: string } | undefined {
  let found: { code: string; message: string } | undefined;
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') found = { code, message: typeof message === 'string' ? message : code };
    e = (e as { cause?: unknown }).cause;
  }
  return found;
}
