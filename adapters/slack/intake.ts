import { createHash } from 'node:crypto';
import type { DurableWork, Release } from '../../src/app/durable-work.js';
import { deferredTotal } from '../../src/app/metrics.js';
import { parseCommand } from '../../src/commands/grammar.js';
import type { SlackContext } from './context.js';
import { decodeSlackText } from './decode.js';
import { busyText } from './handlers/command.js';
import { ACTION } from './ids.js';
import type { Intake, Kind, ListenerArgs } from './routes.js';

/** Clicks that open a modal: Slack's trigger_id lasts three seconds, so they never wait in the queue. */
const OPENS_A_MODAL = new Set<string>([
  ACTION.openWizard,
  ACTION.homeRequest,
  ACTION.draftContinue,
  ACTION.draftStartOver,
  ACTION.consentReject,
  ACTION.complianceReject,
  ACTION.view,
  ACTION.homeView,
  ACTION.homeConsent,
]);

/** Work that must open a modal at once runs beside the queue, this many at a time at most. */
const AT_ONCE_LIMIT = 16;

type Body = Record<string, unknown>;

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The request's identity: an event by its id (Slack's retries resend it), anything else by its whole
 * payload, which carries a trigger_id or a timestamp of its own — a click replayed is the same
 * request, a second click is not.
 */
export function requestKey(kind: Kind, body: Body): string {
  if (kind === 'event' && typeof body.event_id === 'string')
    return `slack:event:${textOf(body.team_id)}:${body.event_id}`;
  return `slack:${kind}:${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}`;
}

/**
 * What is recorded of a request (work_items, kept until its work is done and it is ten minutes old): its
 * body without the app's verification token, which Slack still sends in every body. The bot checks
 * signatures, never the token, and keeps no secret in its database.
 */
function recordedBody(body: Body): Body {
  if (!('token' in body)) return body;
  const kept = { ...body };
  delete kept.token;
  return kept;
}

/** Whether the work opens a modal with the request's trigger_id (it cannot wait, nor be done later). */
function opensModal(kind: Kind, a: ListenerArgs): boolean {
  if (kind === 'shortcut') return true;
  if (kind === 'view') return true; // answered in the ack itself
  if (kind === 'action') return OPENS_A_MODAL.has(a.payload?.action_id ?? '');
  if (kind === 'command') {
    const text = textOf((a.body as Body | undefined)?.text);
    if (!/^\s*new\b/i.test(text)) return false;
    const parsed = parseCommand(decodeSlackText(text));
    return parsed.ok && parsed.command.type === 'new' && !parsed.command.complete;
  }
  return false;
}

/**
 * Every Slack request with work after its ack goes through here: recorded before the ack (see
 * DurableWork), so that the same request sent again — replayed, or retried by Slack
 * (`x-slack-retry-num`) — is recognised by every instance and acknowledged without being done twice;
 * then its work after the ack waits for a place in the bounded queue. A typeahead is answered in its
 * ack and only reads: it is not recorded.
 */
export function slackIntake(ctx: SlackContext, durable: DurableWork): Intake {
  let atOnce = 0;
  return {
    async handle(kind, a, run) {
      if (kind === 'options') return run();
      const body = (a.body ?? {}) as Body;
      const immediate = opensModal(kind, a);
      if (kind === 'command' && !immediate && !ctx.work.hasRoom()) {
        // Full: the ack itself says so, and nothing is recorded (the person sends it again later).
        const userId = textOf(body.user_id);
        await a.ack?.({ response_type: 'ephemeral', text: await busyText(ctx, userId) });
        deferredTotal.inc({ surface: 'slack', outcome: 'busy' });
        return;
      }

      const recorded = recordedBody(body);
      const accepted = await durable.accept(requestKey(kind, recorded), kind, recorded, immediate);
      if (accepted.kind === 'replay') {
        ctx.log.info(
          { kind, retryNum: a.context?.retryNum, retryReason: a.context?.retryReason },
          a.context?.retryNum ? 'Slack retried a request already received' : 'a request received again',
        );
        deferredTotal.inc({ surface: 'slack', outcome: 'replay' });
        await a.ack?.();
        return;
      }
      if (accepted.kind === 'deferred') {
        deferredTotal.inc({ surface: 'slack', outcome: 'deferred' });
        await a.ack?.();
        return;
      }
      if (immediate) {
        if (atOnce >= AT_ONCE_LIMIT && kind !== 'view') {
          ctx.log.warn({ kind }, 'Slack: too many modals opening at once, a click is dropped');
          await a.ack?.();
          return;
        }
        atOnce += 1;
        try {
          return await run();
        } finally {
          atOnce -= 1;
        }
      }
      const id = accepted.kind === 'held' ? accepted.id : undefined;
      const failedLate = (err: unknown) => listenerFailed(ctx.log, err);
      // Bolt acknowledges events before any listener runs.
      if (kind === 'event') return afterBoltsAck(run, durable, id, failedLate);
      return afterTheAck(a.ack, run, durable, id, failedLate);
    },
  };
}

/**
 * The end of a request's work after its ack: marked done before its place in the queue is given up, so
 * that an instance found idle has recorded all it did.
 */
async function over(
  durable: DurableWork,
  id: number | undefined,
  release: Release | undefined,
): Promise<void> {
  if (id !== undefined) await durable.done(id);
  release?.();
}

/**
 * An event's work, which Bolt acknowledged before any listener ran: Bolt is let go at once, as `afterTheAck`
 * lets it go at the ack, and the work waits for its place in the queue on its own.
 */
function afterBoltsAck(
  run: () => Promise<void>,
  durable: DurableWork,
  id: number | undefined,
  failedLate: (err: unknown) => void,
): void {
  const work = async () => {
    const release = await durable.slot(id);
    try {
      await run();
    } finally {
      await over(durable, id, release);
    }
  };
  work().catch(failedLate);
}

/**
 * Runs a request's handlers until their ack, and returns to Bolt there while their work after the ack
 * waits for its place in the queue and runs. Bolt, the web server and the request's own objects are let
 * go at the ack, as a listener that only acks lets them go, instead of living for as long as the queue
 * makes the work wait: seconds under a flood, long enough for the runtime to move every one of them to
 * its old generation (README, Benchmarks). So the handlers get neither Bolt's `ack` once it is called
 * nor its `next` (routes.ts), and nothing here holds the request's arguments. A failure before the ack
 * goes to Bolt, as it did; one after it is logged as Bolt logs a listener's.
 */
function afterTheAck(
  boltAck: ((response?: unknown) => Promise<void>) | undefined,
  run: (ack?: (response?: unknown) => Promise<void>) => Promise<void>,
  durable: DurableWork,
  id: number | undefined,
  failedLate: (err: unknown) => void,
): Promise<void> {
  let ack = boltAck;
  let release: Release | undefined;
  let detached = false;
  let acked!: () => void;
  const ackSent = new Promise<void>((resolve) => (acked = resolve));
  // Started here rather than inside a closure, so nothing that outlives the ack keeps `run`, which holds
  // the request's arguments.
  const running = run(async (response) => {
    // Bolt's ack refuses a second call; so does this one, which no longer holds it by then.
    if (detached) throw new Error('a Slack request acknowledged twice');
    const sending = ack;
    ack = undefined;
    await sending?.(response);
    detached = true;
    acked();
    if (!release) release = await durable.slot(id);
  });
  const work = (async () => {
    try {
      await running;
    } finally {
      await over(durable, id, release);
    }
  })();
  work.catch((err: unknown) => {
    if (detached) failedLate(err);
  });
  return Promise.race([ackSent, work]);
}

/** A listener that failed, as the log says it: the error's message and code, never its stack. */
export function listenerFailed(log: SlackContext['log'], err: unknown): void {
  const e = err as { message?: string; code?: string };
  log.error({ err: { message: e?.message, code: e?.code } }, 'Slack listener failed');
}
