import { performance } from 'node:perf_hooks';
import type { Started } from './processes.js';
import { round } from './results.js';
import { signedSlackRequest, slackTimestamp } from './signed.js';

/**
 * The decision benchmark's clicks, and what the Slack stand-in (bench/decision-stand-in.ts) saw of the
 * bot's cards: the consent cards posted, each transferee's signed click on Approve, and for a burst of
 * clicks the time from each to its card's update and to its transfer's compliance card.
 */

/** How long the cards may take to arrive (before the clicks, and after them) before the run is failed. */
const ARRIVAL_TIMEOUT_MS = 120_000;
/** After the last expected call, how long the stand-in must stay quiet before the counts are final. */
const QUIET_MS = 3_000;

/** A card the stand-in saw posted or updated (bench/decision-stand-in.ts writes them down). */
export interface CardEvent {
  method: 'chat.postMessage' | 'chat.update';
  channel: string;
  ts: string;
  /** Milliseconds since the epoch, with fractions. */
  at: number;
  /** The decision buttons the message carried: which card of which transfer it is. */
  buttons: { actionId: string; blockId: string; value: string }[];
}

const wallClock = () => performance.timeOrigin + performance.now();

/** How many times the bot called each Slack Web API method so far. */
export async function callCounts(standIn: string): Promise<Map<string, number>> {
  const { counts } = (await (await fetch(`${standIn}/cards`)).json()) as { counts: Record<string, number> };
  return new Map(Object.entries(counts));
}

/** Slack Web API calls per decision between two counts, most called first. */
export function callsNote(
  before: Map<string, number>,
  after: Map<string, number>,
  decisions: number,
): string {
  return [...after]
    .map(([method, n]) => [method, n - (before.get(method) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([method, n]) => `${method} ${round(n / decisions, 2)}`)
    .join(', ');
}

async function cardEvents(standIn: string): Promise<CardEvent[]> {
  return ((await (await fetch(`${standIn}/cards`)).json()) as { events: CardEvent[] }).events;
}

/** Polls the stand-in until `done` says what it saw is complete and nothing more came for `quietMs`. */
export async function waitFor(
  standIn: string,
  done: (events: CardEvent[]) => boolean,
  what: string,
  quietMs = 0,
  describe: (events: CardEvent[]) => string = (events) => `${events.length} calls seen`,
): Promise<CardEvent[]> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  let seen = -1;
  let steadySince = Date.now();
  for (;;) {
    const events = await cardEvents(standIn);
    if (events.length !== seen) {
      seen = events.length;
      steadySince = Date.now();
    }
    if (done(events) && Date.now() - steadySince >= quietMs) return events;
    if (Date.now() > deadline)
      throw new Error(`${what}: not there after ${ARRIVAL_TIMEOUT_MS / 1000} s (${describe(events)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A consent card as posted: where it is, and the button its transferee presses. */
export interface PostedConsent {
  transferId: string;
  channel: string;
  ts: string;
  blockId: string;
}

export function consentCards(events: CardEvent[]): Map<string, PostedConsent> {
  const cards = new Map<string, PostedConsent>();
  for (const e of events) {
    const button = e.method === 'chat.postMessage' && e.buttons.find((b) => b.actionId === 'consent_approve');
    if (button)
      cards.set(button.value, {
        transferId: button.value,
        channel: e.channel,
        ts: e.ts,
        blockId: button.blockId,
      });
  }
  return cards;
}

/** The transferee's click on Approve, signed as Slack signs it. */
function signedClick(secret: string, card: PostedConsent): { headers: Record<string, string>; body: string } {
  const timestamp = slackTimestamp();
  const user = `U${card.channel.slice(1)}`;
  return signedSlackRequest(secret, {
    payload: JSON.stringify({
      type: 'block_actions',
      team: { id: 'TBENCH' },
      api_app_id: 'ABENCH',
      user: { id: user, username: user.toLowerCase(), team_id: 'TBENCH' },
      trigger_id: `${card.transferId}.${timestamp}.bench`,
      container: { type: 'message', channel_id: card.channel, message_ts: card.ts, is_ephemeral: false },
      channel: { id: card.channel },
      message: { ts: card.ts },
      actions: [
        {
          type: 'button',
          action_id: 'consent_approve',
          block_id: card.blockId,
          value: card.transferId,
          action_ts: timestamp,
        },
      ],
    }),
  });
}

/** Where a burst clicks and what it watches. */
export interface Scene {
  base: string;
  standInBase: string;
  secret: string;
  bot: Started;
}

/** One burst as measured: from each click to its card's update and to its compliance card. */
export interface Burst {
  acks: number[];
  toUpdate: number[];
  toCompliance: number[];
  /** chat.update calls on each consent card, and compliance cards posted for each transfer. */
  updateCounts: number[];
  postCounts: number[];
}

/**
 * The transferees of `cards` click Approve at the same moment (every click signed beforehand); waits
 * until each card is updated and each compliance card posted, calls `arrived` then, and returns once the
 * stand-in has stayed quiet, so late duplicates are counted too. `clicking` runs just before the clicks.
 */
export async function clickBurst(
  scene: Scene,
  cards: PostedConsent[],
  hooks: { clicking?: () => Promise<void>; arrived?: () => void } = {},
): Promise<Burst> {
  const { base, standInBase, secret, bot } = scene;
  const eventsBefore = (await cardEvents(standInBase)).length;
  const clicks = cards.map((card) => ({ card, request: signedClick(secret, card) }));
  await hooks.clicking?.();
  const clickedAt = new Map<string, number>();
  const acks = await Promise.all(
    clicks.map(async ({ card, request }) => {
      const at = wallClock();
      clickedAt.set(card.transferId, at);
      const res = await fetch(`${base}/slack/events`, { method: 'POST', ...request });
      await res.arrayBuffer();
      return { status: res.status, ms: wallClock() - at };
    }),
  );
  const refused = acks.filter((a) => a.status !== 200).length;
  if (refused > 0)
    throw new Error(`${refused} of ${acks.length} clicks were not acknowledged\n${bot.output()}`);

  const byAddress = new Map(cards.map((c) => [`${c.channel}/${c.ts}`, c.transferId]));
  const ours = new Set(cards.map((c) => c.transferId));
  const after = (events: CardEvent[]) => events.slice(eventsBefore);
  const updatesOf = (events: CardEvent[]) => {
    const updates = new Map<string, CardEvent[]>();
    for (const e of after(events)) {
      const id = e.method === 'chat.update' ? byAddress.get(`${e.channel}/${e.ts}`) : undefined;
      if (id) updates.set(id, [...(updates.get(id) ?? []), e]);
    }
    return updates;
  };
  const compliancePostsOf = (events: CardEvent[]) => {
    const posts = new Map<string, CardEvent[]>();
    for (const e of after(events)) {
      const button =
        e.method === 'chat.postMessage' && e.buttons.find((b) => b.actionId === 'compliance_approve');
      if (button && ours.has(button.value)) posts.set(button.value, [...(posts.get(button.value) ?? []), e]);
    }
    return posts;
  };
  const complete = (events: CardEvent[]) =>
    updatesOf(events).size >= cards.length && compliancePostsOf(events).size >= cards.length;
  const progress = (events: CardEvent[]) =>
    `${updatesOf(events).size} cards updated, ${compliancePostsOf(events).size} compliance cards posted; the bot said:\n${bot.output().slice(-3000)}`;
  await waitFor(standInBase, complete, 'the updates and compliance cards', 0, progress);
  hooks.arrived?.();
  const events = await waitFor(standInBase, complete, 'a quiet stand-in', QUIET_MS, progress);

  const updates = updatesOf(events);
  const posts = compliancePostsOf(events);
  return {
    acks: acks.map((a) => a.ms),
    toUpdate: cards.map((card) => updates.get(card.transferId)![0]!.at - clickedAt.get(card.transferId)!),
    toCompliance: cards.map((card) => posts.get(card.transferId)![0]!.at - clickedAt.get(card.transferId)!),
    updateCounts: cards.map((c) => updates.get(c.transferId)?.length ?? 0),
    postCounts: cards.map((c) => posts.get(c.transferId)?.length ?? 0),
  };
}

/** What a burst got wrong: cards updated more than once or never, compliance cards posted twice. */
export function exactlyOnce(burst: Burst) {
  return {
    updatedTwiceOrMore: burst.updateCounts.filter((n) => n > 1).length,
    neverUpdated: burst.updateCounts.filter((n) => n === 0).length,
    postedTwiceOrMore: burst.postCounts.filter((n) => n > 1).length,
    notUpdatedOnce: burst.updateCounts.filter((n) => n !== 1).length,
  };
}
