import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A stand-in for the Bot Connector service Teams runs: the `serviceUrl` of every activity the tests post,
 * so whatever the bot sends (replies, proactive messages, card updates, new 1:1 chats, roster lookups,
 * file uploads) lands here and is recorded.
 */
export interface Recorded {
  method: string;
  path: string;
  /** `v3/conversations/{conversationId}/…`, decoded. */
  conversationId?: string;
  /** POST …/activities/{replyToId} or PUT …/activities/{activityId}. */
  activityId?: string;
  authorization?: string;
  /** A file upload's `Content-Length` and `Content-Range`, which OneDrive's upload URL requires. */
  range?: { length: string | undefined; range: string | undefined };
  body: unknown;
  raw: Buffer;
  /** The HTTP status the stand-in refused it with (`failNext`), when it did. */
  refusedWith?: number;
  /** The id a posted activity was given: what Teams names the message by (a click on its card says it). */
  postedAs?: string;
}

export interface RosterMember {
  id: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
  aadObjectId?: string;
}

interface Failure {
  status: number;
  headers?: Record<string, string>;
  match?: (r: Recorded) => boolean;
}

export interface BotConnector {
  serviceUrl: string;
  requests: Recorded[];
  /** Teams users the roster endpoint knows. */
  roster: Map<string, RosterMember>;
  /** Users for whom `POST v3/conversations` answers 403 (the app is not installed for them). */
  notInstalled: Set<string>;
  /**
   * Files people attach to their messages, served at `fileUrl(name)` as SharePoint serves an attachment's
   * pre-authorised download URL (no bot token).
   */
  files: Map<string, Uint8Array | string>;
  fileUrl(name: string): string;
  /** The next matching request fails with this status. */
  failNext(failure: Failure): void;
  /** Roster lookups answer after this long (0: at once), as a slow or unreachable Teams would. */
  slowRoster(ms: number): void;
  /**
   * While true, file uploads get no answer at all, as from a stuck upload URL; set back to false, the
   * uploads held are cut off.
   */
  holdUploads(hold: boolean): void;
  /** Activities posted into one conversation (replies and proactive messages), refused ones included. */
  posted(conversationId: string): Recorded[];
  /** Activities posted into one conversation and taken: what the people in it see. */
  delivered(conversationId: string): Recorded[];
  /** Card attachments of the activities posted into one conversation, each with the id its message was given. */
  cards(conversationId: string): { activityId: string; card: AdaptiveCardJson }[];
  updates(conversationId: string): Recorded[];
  close(): Promise<void>;
}

export interface AdaptiveCardJson {
  type: string;
  version: string;
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
  refresh?: { action: { type: string; verb: string; data: Record<string, unknown> }; userIds?: string[] };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface BotConnectorOptions {
  /**
   * As the real Bot Connector does, refuse (401) any call whose Authorization the check rejects. File
   * uploads are exempt: they go to the person's OneDrive URL, which takes no bot token.
   */
  authorize?: (authorization: string | undefined) => boolean;
}

export async function startBotConnector(options: BotConnectorOptions = {}): Promise<BotConnector> {
  const requests: Recorded[] = [];
  const roster = new Map<string, RosterMember>();
  const notInstalled = new Set<string>();
  const files = new Map<string, Uint8Array | string>();
  const failures: Failure[] = [];
  let next = 0;
  let rosterDelayMs = 0;
  let uploadsHeld = false;
  const held: ServerResponse[] = [];

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let body: unknown = null;
    if (raw.length > 0 && (req.headers['content-type'] ?? '').includes('json'))
      body = JSON.parse(raw.toString('utf8'));
    const record: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
      ...(segments[0] === 'v3' && segments[1] === 'conversations' && segments[2]
        ? { conversationId: segments[2] }
        : {}),
      ...(segments[3] === 'activities' && segments[4] ? { activityId: segments[4] } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(segments[0] === 'upload'
        ? { range: { length: req.headers['content-length'], range: req.headers['content-range'] } }
        : {}),
      body,
      raw,
    };
    requests.push(record);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };

    // A URL that sends its caller on (`/moved?to=URL`), as a file host may: 307 keeps an upload's PUT.
    if (segments[0] === 'moved' && url.searchParams.has('to')) {
      res.writeHead(req.method === 'GET' ? 302 : 307, { location: url.searchParams.get('to')! });
      res.end();
      return;
    }
    if (req.method === 'GET' && segments[0] === 'files' && segments[1]) {
      const file = files.get(segments[1]);
      if (file === undefined) json(404, { error: { code: 'itemNotFound', message: url.pathname } });
      else {
        // `?type=` serves it as another media type (a web page in place of the file, say).
        res.writeHead(200, { 'content-type': url.searchParams.get('type') ?? 'application/octet-stream' });
        res.end(Buffer.from(file));
      }
      return;
    }
    if (options.authorize && segments[0] !== 'upload' && !options.authorize(record.authorization)) {
      json(401, { message: 'Authorization has been denied for this request.' });
      return;
    }
    const failure = failures.findIndex((f) => !f.match || f.match(record));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      record.refusedWith = f!.status;
      json(f!.status, { error: { code: `Status${f!.status}`, message: 'stand-in failure' } }, f!.headers);
      return;
    }
    if (segments[0] === 'upload' && uploadsHeld) {
      held.push(res);
      return;
    }
    if (segments[0] === 'upload') {
      json(201, { id: 'drive-item', name: segments[1] });
      return;
    }
    if (segments[0] !== 'v3' || segments[1] !== 'conversations') {
      json(404, { error: { code: 'NotFound', message: url.pathname } });
      return;
    }
    if (req.method === 'POST' && segments.length === 2) {
      const member = (body as { members?: { id: string }[] }).members?.[0]?.id ?? '';
      if (notInstalled.has(member)) {
        json(403, {
          error: { code: 'Forbidden', message: 'The bot is not part of the conversation roster.' },
        });
        return;
      }
      json(201, { id: `a:chat-${member}` });
      return;
    }
    if (req.method === 'GET' && segments[3] === 'members' && segments[4]) {
      if (rosterDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, rosterDelayMs));
      const member = roster.get(segments[4]);
      if (member) json(200, member);
      else json(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      return;
    }
    if (req.method === 'POST' && segments[3] === 'activities') {
      record.postedAs = `activity-${++next}`;
      json(200, { id: record.postedAs });
      return;
    }
    if (req.method === 'PUT' && segments[3] === 'activities' && segments[4]) {
      json(200, { id: segments[4] });
      return;
    }
    json(404, { error: { code: 'NotFound', message: url.pathname } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const posted = (conversationId: string) =>
    requests.filter(
      (r) => r.method === 'POST' && r.conversationId === conversationId && r.path.includes('/activities'),
    );
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    requests,
    roster,
    notInstalled,
    files,
    fileUrl: (name) => `http://127.0.0.1:${port}/files/${encodeURIComponent(name)}`,
    failNext: (f) => failures.push(f),
    slowRoster: (ms) => {
      rosterDelayMs = ms;
    },
    holdUploads: (hold) => {
      uploadsHeld = hold;
      if (!hold) for (const res of held.splice(0)) res.destroy();
    },
    posted,
    delivered: (conversationId) => posted(conversationId).filter((r) => r.refusedWith === undefined),
    cards: (conversationId) =>
      posted(conversationId).flatMap((r, i) => {
        const attachments =
          (r.body as { attachments?: { contentType: string; content: AdaptiveCardJson }[] }).attachments ??
          [];
        return attachments
          .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
          .map((a) => ({ activityId: r.postedAs ?? `refused-${i}`, card: a.content }));
      }),
    updates: (conversationId) =>
      requests.filter((r) => r.method === 'PUT' && r.conversationId === conversationId),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every string in a card (texts, titles, facts), for assertions on what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) if (k !== 'data' && k !== 'type' && k !== 'verb') walk(x);
  };
  walk(card);
  return out.join('\n');
}

/** Every `Action.Execute` anywhere in a card (top-level, in action sets, in show-cards). */
export function executeActions(
  card: unknown,
): { verb: string; data: Record<string, unknown>; title: string }[] {
  const found: { verb: string; data: Record<string, unknown>; title: string }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        found.push({
          verb: String(o.verb),
          data: (o.data ?? {}) as Record<string, unknown>,
          title: String(o.title),
        });
      for (const [k, x] of Object.entries(o)) if (k !== 'refresh') walk(x);
    }
  };
  walk(card);
  return found;
}
