import { createServer, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CardEvent } from './support/decision-clicks.js';

/**
 * The Slack Web API as the decision round-trip benchmark needs it, run as a process of its own: it
 * answers what posting, clicking and redrawing decision cards make the bot call, and writes down when
 * each card was posted or updated (wall-clock milliseconds, the clock the benchmark's clicks are timed
 * by). Each post gets a ts of its own, so every card has an address. `GET /cards` gives what it saw;
 * the port is printed on stdout.
 */

/** Bounded: the benchmark posts a few hundred cards and messages; a runaway bot cannot fill memory. */
const MAX_EVENTS = 20_000;
const events: CardEvent[] = [];
const counts = new Map<string, number>();
let posted = 0;

const now = () => performance.timeOrigin + performance.now();

async function drain(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The decision buttons of a message's blocks (Block Kit as chat.postMessage and chat.update carry it). */
function buttonsOf(blocksJson: string | null): CardEvent['buttons'] {
  if (!blocksJson) return [];
  let blocks: unknown;
  try {
    blocks = JSON.parse(blocksJson);
  } catch {
    return [];
  }
  const found: CardEvent['buttons'] = [];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    const { block_id: blockId, elements } = block as { block_id?: string; elements?: unknown };
    for (const element of Array.isArray(elements) ? elements : []) {
      const { action_id: actionId, value } = element as { action_id?: string; value?: string };
      if (actionId && /^(consent|compliance)_(approve|reject)$/.test(actionId))
        found.push({ actionId, blockId: blockId ?? '', value: value ?? '' });
    }
  }
  return found;
}

/** A person's direct-message channel: D and the rest of their user id. */
const directChannel = (channel: string) => (channel.startsWith('U') ? `D${channel.slice(1)}` : channel);

function answer(method: string, form: URLSearchParams, at: number): unknown {
  switch (method) {
    case 'auth.test':
      return { ok: true, team_id: 'TBENCH', user_id: 'UBOT', bot_id: 'BBOT', user: 'transfer-bot' };
    case 'users.info': {
      const user = form.get('user') ?? 'U0';
      return {
        ok: true,
        user: { id: user, locale: 'ja-JP', tz: 'Asia/Tokyo', profile: { email: `${user}@bench.example` } },
      };
    }
    case 'users.lookupByEmail':
      return { ok: false, error: 'users_not_found' };
    case 'conversations.open':
      return { ok: true, channel: { id: directChannel(form.get('users') ?? 'U0') } };
    case 'chat.postMessage':
    case 'chat.update': {
      const channel = directChannel(form.get('channel') ?? 'D0');
      const ts =
        method === 'chat.update' ? (form.get('ts') ?? '') : `1700000000.${String(++posted).padStart(6, '0')}`;
      if (events.length < MAX_EVENTS)
        events.push({ method, channel, ts, at, buttons: buttonsOf(form.get('blocks')) });
      return { ok: true, channel, ts };
    }
    default:
      return { ok: true };
  }
}

const server = createServer((req, res) => {
  void (async () => {
    const at = now();
    const body = await drain(req);
    const url = req.url ?? '/';
    if (req.method === 'GET' && url === '/cards') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ events, counts: Object.fromEntries(counts) }));
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const form = new URLSearchParams(req.headers['content-type']?.includes('json') ? '' : body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(method, form, at)));
  })();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
