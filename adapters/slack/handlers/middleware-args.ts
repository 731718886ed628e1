/** What Bolt hands a global middleware, as far as the bot's own (refusals before any listener) read it. */

export type Ack = (response?: unknown) => Promise<void>;
export type Fields = Record<string, unknown>;

export interface MiddlewareArgs {
  body?: unknown;
  event?: unknown;
  ack?: Ack;
  command?: unknown;
  action?: unknown;
  shortcut?: unknown;
  view?: unknown;
  options?: unknown;
  next: () => Promise<void>;
}

export function fieldsOf(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : {};
}

/** The Slack user a request comes from, whatever its kind; empty when it names none. */
export function userOf(args: MiddlewareArgs): string {
  const body = fieldsOf(args.body);
  const user = body['user_id'] ?? fieldsOf(body['user'])['id'] ?? fieldsOf(args.event)['user'];
  return typeof user === 'string' ? user : '';
}
