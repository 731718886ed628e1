/**
 * The few log calls the worker and the scheduler make. A pino logger fits as is; tests pass nothing
 * and get silence, so a failing delivery in a test shows up in assertions, not as noise.
 */
export interface JobLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: JobLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A database statement that failed is reported with its parameters after it (`Failed query: …` then
 * `params: …`, to the end of the text): what people typed, their e-mail addresses, Slack's response_url,
 * which can post into their conversation. A log keeps the statement and never the parameters.
 */
const PARAMETERS = '\nparams: ';

export function withoutQueryParameters(text: string): string {
  const at = text.indexOf(PARAMETERS);
  const kept = at === -1 ? text : `${text.slice(0, at)}${PARAMETERS}[not logged]`;
  return kept.includes(NOT_JSON) ? kept.replace(QUOTED_BODY, `"[not logged]"${NOT_JSON}`) : kept;
}

/**
 * A body that is not JSON is reported by the engine with its first characters quoted (`Unexpected token
 * 'r', "response_u"... is not valid JSON`): a request's body, which a log never keeps.
 */
const NOT_JSON = ' is not valid JSON';
const QUOTED_BODY = /"[^"\n]{0,64}"(?:\.\.\.)? is not valid JSON/g;

/** What a log line says of an error: its message, never its stack nor a statement's parameters. */
export function errorMessage(err: unknown): string {
  return withoutQueryParameters(err instanceof Error ? err.message : String(err));
}

/** How far into a logged object its values are looked at: log fields are a level or two deep. */
const LOGGED_DEPTH = 4;

/** PostgreSQL's code for an error condition (SQLSTATE): five digits or capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The server's reason for refusing a statement, without the value it quotes at its end (`invalid input
 * syntax for type integer: "…"`): a parameter, like those above.
 */
function serverReason(message: string): string {
  const quoted = message.indexOf(': "');
  return quoted === -1 ? message : message.slice(0, quoted);
}

/**
 * A value as a log may show it, whatever logged it (ours, Bolt's, the Bot Framework's): text without a
 * statement's parameters, and an error as its type, message, code, frames and cause (the driver's own
 * reason, which a failed statement's message lacks), without the other fields an error may carry (a
 * failed statement's `params`, the server's `detail` of the row it refused).
 */
export function loggable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return withoutQueryParameters(value);
  if (value === null || typeof value !== 'object' || depth >= LOGGED_DEPTH) return value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const frames = value.stack?.indexOf('\n    at ') ?? -1;
    const message =
      typeof code === 'string' && SQLSTATE.test(code) ? serverReason(value.message) : value.message;
    return {
      type: value.constructor.name === 'Error' ? value.name : value.constructor.name,
      message: withoutQueryParameters(message),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...(frames === -1 ? {} : { stack: value.stack!.slice(frames + 1) }),
      ...(value.cause === undefined ? {} : { cause: loggable(value.cause, depth + 1) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => loggable(item, depth + 1));
  // A date, a URL, a buffer… logs as it would have.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = loggable(field, depth + 1);
  return copy;
}
