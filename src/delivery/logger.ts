/**
 * The few log calls the worker and the scheduler make. A pino logger fits as is; tests pass nothing
 * and get silence, so a failing delivery in a test shows up in assertions, not as noise.
 */
export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: JobLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** What a log line says of an error: its message, never its stack. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
