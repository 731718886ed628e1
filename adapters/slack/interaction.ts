import type { types } from '@slack/bolt';
import type { Locale, Reader } from '../../src/i18n/index.js';
import { sendWithRetries } from '../../src/app/send-retries.js';
import { causeCode } from '../../src/app/error-code.js';
import type { SlackContext } from './context.js';
import { webApiFetch } from './web-fetch.js';
import type { BlockActions } from './payloads.js';
import type { Block } from './render/blocks.js';
import { noticeModal } from './render/modal.js';

/** Where a click came from, which is where its answer goes. */
export type Origin =
  | { kind: 'message'; channel: string; ts: string; ephemeral: boolean; responseUrl?: string | undefined }
  | { kind: 'modal'; viewId: string }
  | { kind: 'home' };

export function originOf(
  p: Pick<BlockActions, 'container' | 'channel' | 'message' | 'view' | 'response_url'>,
): Origin {
  if (p.view) return p.view.type === 'home' ? { kind: 'home' } : { kind: 'modal', viewId: p.view.id };
  const channel = p.container?.channel_id ?? p.channel?.id ?? '';
  const ts = p.container?.message_ts ?? p.message?.ts ?? '';
  return {
    kind: 'message',
    channel,
    ts,
    ephemeral: p.container?.is_ephemeral === true,
    responseUrl: p.response_url,
  };
}

export interface Shown {
  text: string;
  blocks: Block[];
}

/** A response_url that answered with an HTTP error: `retryAfterMs` when it asked to be tried again later. */
class ResponseUrlRefused extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`response_url answered HTTP ${status}`);
  }
}

function refusal(res: Response): ResponseUrlRefused {
  const seconds = Number(res.headers.get('retry-after') ?? NaN);
  if (res.status !== 429 && res.status < 500) return new ResponseUrlRefused(res.status, undefined);
  return new ResponseUrlRefused(res.status, Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : 0);
}

/**
 * Errors raised before a byte of the request left: the connection was refused or its host not found, so
 * the answer certainly did not arrive and may be sent again.
 */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

const neverSent = (err: unknown): boolean => causeCode(err, (code) => NEVER_SENT.has(code)) !== undefined;

/** A response_url that has not answered by then has failed (a network failure: not tried again). */
const RESPONSE_URL_TIMEOUT_MS = 10_000;

/** Slack's own host for response_urls. */
const SLACK_HOOKS = 'https://hooks.slack.com';

/**
 * A response_url is Slack's own, or on the Web API the bot is pointed at (SLACK_API_URL, a proxy or a
 * test stand-in): a payload that names one elsewhere (a modal's metadata handed back) is not followed.
 */
export function mayRespondTo(url: string, slackApiUrl: string): boolean {
  const origin = urlOrigin(url);
  return origin !== undefined && (origin === SLACK_HOOKS || origin === urlOrigin(slackApiUrl));
}

/** A URL's origin (`https://host:port`); undefined when it is no URL. (URL.parse is not in Node 20.) */
function urlOrigin(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

/** A response_url on another host than Slack's: nothing was sent to it. */
class ForeignResponseUrl extends Error {
  constructor(url: string) {
    super(`response_url not on Slack: ${urlOrigin(url) ?? 'unreadable'}`);
  }
}

/**
 * POSTs to a response_url (slash command replies, ephemeral messages): Slack keeps these for 30 minutes.
 * Throttled (429), unavailable (5xx) or not reached at all (connection refused, host not found), it is
 * tried again within a minute; a failure once connected, or no answer in time, is not, as the answer may
 * have arrived. Over the Web API's own transport: Slack never
 * redirects these. A URL on any other host (`mayRespondTo`) is refused before anything is sent.
 */
export async function respondTo(
  url: string,
  body: Record<string, unknown>,
  options: { slackApiUrl: string; timeoutMs?: number },
): Promise<void> {
  if (!mayRespondTo(url, options.slackApiUrl)) throw new ForeignResponseUrl(url);
  const timeoutMs = options.timeoutMs ?? RESPONSE_URL_TIMEOUT_MS;
  await sendWithRetries(
    async () => {
      const res = await webApiFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Slack's answer ("ok") says nothing more than the status.
      if (!res.ok) throw refusal(res);
    },
    (err) => (err instanceof ResponseUrlRefused ? err.retryAfterMs : neverSent(err) ? 0 : undefined),
  );
}

/**
 * A short answer to the person who clicked, seen only by them: an ephemeral message under a message,
 * a small modal over a modal or the Home tab (where nothing can be posted).
 */
export async function tell(
  ctx: SlackContext,
  origin: Origin,
  userId: string,
  triggerId: string | undefined,
  shown: Shown,
  reader: Reader,
): Promise<void> {
  if (origin.kind === 'message') {
    if (origin.channel) {
      await ctx.client.chat.postEphemeral({
        channel: origin.channel,
        user: userId,
        text: shown.text,
        blocks: shown.blocks,
      });
    } else if (origin.responseUrl) {
      await respondTo(
        origin.responseUrl,
        { response_type: 'ephemeral', replace_original: false, text: shown.text, blocks: shown.blocks },
        { slackApiUrl: ctx.client.slackApiUrl },
      );
    }
    return;
  }
  if (!triggerId) return;
  const view = noticeModal(shown.text, reader);
  view.blocks = shown.blocks;
  await openModal(ctx, origin, triggerId, view);
}

/** Opens a modal where the click came from: on top of the modal clicked in, else on its own. */
export async function openModal(
  ctx: SlackContext,
  origin: Origin,
  triggerId: string,
  view: types.ModalView,
): Promise<void> {
  if (origin.kind === 'modal') await ctx.client.views.push({ trigger_id: triggerId, view });
  else await ctx.client.views.open({ trigger_id: triggerId, view });
}

/** Replaces what was clicked with its new state: the message in place, or the modal's view. */
export async function replaceOrigin(
  ctx: SlackContext,
  origin: Origin,
  shown: Shown,
  asModal: () => types.ModalView,
): Promise<void> {
  switch (origin.kind) {
    case 'message':
      if (origin.ephemeral && origin.responseUrl) {
        await respondTo(
          origin.responseUrl,
          { replace_original: true, text: shown.text, blocks: shown.blocks },
          { slackApiUrl: ctx.client.slackApiUrl },
        );
      } else if (!origin.ephemeral && origin.channel && origin.ts) {
        await ctx.client.chat.update({
          channel: origin.channel,
          ts: origin.ts,
          text: shown.text,
          blocks: shown.blocks,
        });
      }
      return;
    case 'modal':
      await ctx.client.views.update({ view_id: origin.viewId, view: asModal() });
      return;
    case 'home':
      return;
    default: {
      const unreachable: never = origin;
      return unreachable;
    }
  }
}

export function renderContextOf(locale: Locale, timeZone: string): Reader {
  return { locale, timeZone };
}
