import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * What a log line says of a Slack payload — a request Slack sent, a Web API call and its result, a
 * Socket Mode envelope: what kind it is, the ids an operator follows it by, and its size. Never what it
 * says: what people typed, their names and e-mail addresses, a response_url (which can post into their
 * conversation), a trigger_id, a token.
 */
export interface PayloadSummary {
  bytes?: number;
  /** The payload's own type (`block_actions`, `view_submission`, `event_callback`; Socket Mode's `slash_commands`…). */
  type?: string;
  /** A slash command's name (`/transfer`), never its text. */
  command?: string;
  /** The event's type (`app_home_opened`, `message`…). */
  event?: string;
  callbackId?: string;
  actionIds?: string[];
  team?: string;
  enterprise?: string;
  user?: string;
  channel?: string;
  /** A Socket Mode envelope: its type (`interactive`, `events_api`…) and id. */
  envelope?: string;
  envelopeId?: string;
  /** A Web API answer: whether it succeeded, and Slack's error code. */
  ok?: boolean;
  error?: string;
}

type Fields = Record<string, unknown>;

/** Ids are short; anything longer is not an id, and is left out. */
const ID_LENGTH = 80;

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= ID_LENGTH ? value : undefined;

const recordOf = (value: unknown): Fields | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;

/** An id given as itself (`user_id`, `"user": "U1"`) or as an object's (`"user": { "id": "U1" }`). */
const idIn = (value: unknown): string | undefined => idOf(value) ?? idOf(recordOf(value)?.id);

/** The summary of a payload already parsed; `bytes` is its size as sent, when known. */
export function summarise(payload: unknown, bytes?: number): PayloadSummary {
  const body = recordOf(payload);
  const summary: PayloadSummary = bytes === undefined ? {} : { bytes };
  if (!body) return summary;
  const inner = recordOf(body.payload);
  if (inner && idOf(body.envelope_id)) {
    // Socket Mode: the request Slack sent is the envelope's payload.
    return { ...summary, envelope: idOf(body.type), envelopeId: idOf(body.envelope_id), ...summarise(inner) };
  }
  const user = recordOf(body.user);
  const event = recordOf(body.event);
  const view = recordOf(body.view);
  const actions = Array.isArray(body.actions) ? body.actions : [];
  const found: PayloadSummary = {
    type: idOf(body.type),
    command: idOf(body.command),
    event: idOf(event?.type),
    callbackId: idOf(body.callback_id) ?? idOf(view?.callback_id),
    actionIds: actions.map((a) => idOf(recordOf(a)?.action_id)).filter((a) => a !== undefined),
    team: idOf(body.team_id) ?? idIn(body.team) ?? idOf(user?.team_id),
    enterprise: idOf(body.enterprise_id) ?? idIn(body.enterprise),
    user: idOf(body.user_id) ?? idIn(body.user) ?? idOf(event?.user),
    channel: idOf(body.channel_id) ?? idIn(body.channel) ?? idOf(event?.channel),
    ok: typeof body.ok === 'boolean' ? body.ok : undefined,
    error: idOf(body.error),
  };
  for (const [key, value] of Object.entries(found) as [keyof PayloadSummary, unknown][]) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    (summary as Fields)[key] = value;
  }
  return summary;
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** The JSON a line ends with (`http request body: {…}`, `… (data: {…})`), parsed, and where it starts. */
function trailingJson(text: string): { at: number; value: unknown; bytes: number } | undefined {
  const at = text.search(/[{[]/);
  if (at === -1) return undefined;
  const rest = text.slice(at);
  for (const candidate of [rest, rest.replace(/\)\s*$/, '')]) {
    try {
      return { at, value: JSON.parse(candidate) as unknown, bytes: byteLength(candidate) };
    } catch {
      // not JSON to its end: tried again without a closing parenthesis, then cut (below)
    }
  }
  return { at, value: undefined, bytes: byteLength(rest) };
}

/** A Socket Mode message the client could not parse: its reason quotes it, and it follows. */
const UNPARSED = 'Unable to parse an incoming WebSocket message';
/** Bolt's ack over HTTP: `ack() call begins (body: …)`, the answer as it was given. */
const ACK_BODY = /^(ack\(\) [^(]*)\(body: (.*)\)$/s;

/**
 * A debug line of Bolt's, its Web API client's or its Socket Mode client's, as our log keeps it: their
 * own words, with any payload they quote (Slack's requests, the Web API's calls and answers, the acks)
 * replaced by its summary.
 */
export function debugLine(text: string): { fields?: { slack: PayloadSummary }; msg: string } {
  if (text.startsWith(UNPARSED))
    return { fields: { slack: { bytes: byteLength(text) - UNPARSED.length } }, msg: UNPARSED };
  const ack = ACK_BODY.exec(text);
  if (ack) {
    const [, what, body] = ack as unknown as [string, string, string];
    if (body === 'undefined') return { msg: text };
    return { fields: { slack: { bytes: byteLength(body) } }, msg: what.trim() };
  }
  const json = trailingJson(text);
  if (!json) return { msg: text };
  const msg = text
    .slice(0, json.at)
    .replace(/[\s:(-]+$/, '')
    .replace(/,\s*data$/, '');
  return { fields: { slack: summarise(json.value, json.bytes) }, msg: msg || 'Slack payload' };
}

/**
 * Bolt logs through pino, so one LOG_LEVEL and one redaction policy cover both. At debug, Bolt and its
 * clients quote whole payloads (every Web API call and answer — people's names, e-mail addresses, the
 * text of every message — and in Socket Mode every request Slack sends): those lines keep a summary.
 */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (msgs: unknown[]) =>
    msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...m: unknown[]) => {
      if (!log.isLevelEnabled('debug')) return;
      const line = debugLine(text(m));
      if (line.fields) log.debug(line.fields, line.msg);
      else log.debug(line.msg);
    },
    info: (...m: unknown[]) => log.info(text(m)),
    warn: (...m: unknown[]) => log.warn(text(m)),
    error: (...m: unknown[]) => log.error(text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Every request Slack sends, at debug: what it is and who sent it (see PayloadSummary). */
export function logRequest(log: Logger, body: unknown): void {
  if (!log.isLevelEnabled('debug')) return;
  log.debug({ slack: summarise(body, byteLength(JSON.stringify(body) ?? '')) }, 'Slack request');
}
