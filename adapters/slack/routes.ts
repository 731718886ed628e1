import type { App } from '@slack/bolt';

/** The part of Bolt's App our handlers register with: the same calls, the same arguments. */
export type SlackRoutes = Pick<App, 'action' | 'view' | 'options' | 'shortcut' | 'command' | 'event'>;

export type Kind = keyof SlackRoutes;
type Constraint = string | RegExp;
type Handler = (args: ListenerArgs) => Promise<void>;

/** What Bolt passes a listener, as far as routing needs it. */
export interface ListenerArgs {
  payload?: { action_id?: string; callback_id?: string; type?: string };
  body?: { view?: { callback_id?: string }; command?: string };
  event?: { type?: string };
  ack?: (response?: unknown) => Promise<void>;
  context?: { retryNum?: number; retryReason?: string };
  next?: () => Promise<void>;
}

/**
 * What happens around a request's handlers: `run` calls them, with `ack` in place of Bolt's when given
 * (to know when the acknowledgement went out and what follows it).
 */
export interface Intake {
  handle(
    kind: Kind,
    args: ListenerArgs,
    run: (ack?: (response?: unknown) => Promise<void>) => Promise<void>,
  ): Promise<void>;
}

/** Runs the handlers of a request received earlier (kept in the database), as if it came now, already acknowledged. */
export type RunStored = (kind: Kind, body: Record<string, unknown>) => Promise<void>;

/** Where each kind of request carries its payload, as Bolt hands it to listeners. */
const PAYLOAD_OF: Record<Kind, (body: Record<string, unknown>) => unknown> = {
  action: (b) => (b.actions as unknown[] | undefined)?.[0] ?? b,
  view: (b) => b.view,
  options: (b) => b,
  shortcut: (b) => b,
  command: (b) => b,
  event: (b) => b.event,
};

/** Where each kind of request names what it is for. */
const ID_OF: Record<Kind, (args: ListenerArgs) => string | undefined> = {
  action: (a) => a.payload?.action_id ?? a.payload?.callback_id,
  view: (a) => a.body?.view?.callback_id,
  options: (a) => a.payload?.action_id ?? a.payload?.callback_id,
  shortcut: (a) => a.payload?.callback_id,
  command: (a) => a.body?.command,
  event: (a) => a.event?.type,
};

const KINDS = Object.keys(ID_OF) as Kind[];

/**
 * Bolt runs every registered listener's middleware for every request it receives — a few object copies
 * and promises per listener, so thirty listeners cost a slash command four times what Bolt itself
 * does. Our handlers register here instead, exactly as they would with the App, and Bolt sees no
 * listener at all: one global middleware finds the handlers by kind and id in a table. As with Bolt,
 * every handler whose id matches runs; a click nobody handles is acknowledged, so Slack shows no error.
 */
export function registerRoutes(
  app: App,
  register: (routes: SlackRoutes) => void,
  intake?: Intake,
): RunStored {
  const table = Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<
    Kind,
    { constraint: Constraint; handler: Handler }[]
  >;
  const recorder =
    (kind: Kind) =>
    (constraint: unknown, ...listeners: unknown[]): void => {
      if (typeof constraint !== 'string' && !(constraint instanceof RegExp))
        throw new Error(`Slack ${kind} routes take an id or a RegExp`);
      if (listeners.length !== 1 || typeof listeners[0] !== 'function')
        throw new Error(`Slack ${kind} routes take one listener`);
      table[kind].push({ constraint, handler: listeners[0] as Handler });
    };
  register(Object.fromEntries(KINDS.map((k) => [k, recorder(k)])) as unknown as SlackRoutes);

  const handlersFor = (kind: Kind, a: ListenerArgs) => {
    const id = ID_OF[kind](a);
    return table[kind].filter((r) => id !== undefined && matches(r.constraint, id));
  };
  const runAll = async (found: { handler: Handler }[], a: ListenerArgs): Promise<void> => {
    if (found.length === 1) return found[0]!.handler(a);
    await Promise.all(found.map((r) => r.handler(a)));
  };
  // Made here, apart from the middleware, so that what runs the handlers holds nothing else of the request.
  const handlersOf =
    (found: { handler: Handler }[], args: ListenerArgs) =>
    (ack?: (response?: unknown) => Promise<void>): Promise<void> =>
      runAll(found, ack ? { ...args, ack } : args);

  // One global middleware, after Bolt's own: it finds the kind of request by the argument Bolt names
  // after it, and the handlers by id. Nothing is left for Bolt's per-listener pass to run.
  app.use(async (args) => {
    const a = args as unknown as ListenerArgs &
      Partial<Record<Kind, unknown>> & { next: () => Promise<void> };
    const kind = KINDS.find((k) => a[k] !== undefined);
    if (kind === undefined) return a.next();
    // As `app.view(id, …)` does: submissions only; a closed modal needs no answer beyond the ack.
    if (kind === 'view' && (a.body as { type?: string } | undefined)?.type !== 'view_submission') {
      await a.ack?.();
      return;
    }
    const found = handlersFor(kind, a);
    if (found.length === 0) {
      if (kind !== 'event' && kind !== 'command') await a.ack?.();
      return;
    }
    if (!intake) return runAll(found, a);
    // The handlers never get Bolt's `next` (it holds the request's whole middleware chain), nor, with an
    // ack of their own, Bolt's (it holds the HTTP response): their work may outlive both (intake.ts).
    return intake.handle(kind, a, handlersOf(found, { ...a, next: noNext }));
  });

  return async (kind, body) => {
    const payload = PAYLOAD_OF[kind](body) as ListenerArgs['payload'];
    const a: ListenerArgs & Record<string, unknown> = {
      body,
      payload,
      [kind]: payload,
      ...(kind === 'event' ? { event: payload } : {}),
      ...(kind === 'view' ? { view: payload } : {}),
      ack: async () => undefined,
      next: async () => undefined,
      context: {},
    };
    await runAll(handlersFor(kind, a), a);
  };
}

/** What a handler finds as `next`: our handlers end a request's chain, and never call it. */
const noNext = async (): Promise<void> => undefined;

function matches(constraint: Constraint, id: string): boolean {
  if (typeof constraint === 'string') return constraint === id;
  constraint.lastIndex = 0;
  return constraint.test(id);
}
