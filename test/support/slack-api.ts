import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A local stand-in for the Slack Web API (and for response_url): it answers the methods the bot uses,
 * records every call with its arguments parsed, and fails on demand (HTTP 500, 429 with Retry-After,
 * or a Slack error such as `user_not_found`), so tests see what Slack would have seen.
 */
/**
 * A Slack payload as recorded: arbitrary JSON that tests read loosely (`args.view.blocks[0]…`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded payloads are free-form JSON; tests assert on their shape
export type Json = any;

export interface SlackPerson {
  id: string;
  email: string;
  locale?: string;
  tz?: string;
}

export interface SlackChannel {
  id: string;
  name: string;
  isMember: boolean;
}

export interface RecordedCall {
  method: string;
  args: Record<string, Json>;
  at: number;
  /** The bearer token the call carried (test tokens only). */
  token?: string;
  /** What the stand-in answered. */
  result?: Record<string, Json>;
  /** The HTTP status the stand-in refused it with (`failNext`), when it did. */
  refusedWith?: number;
}

export interface SharedFile {
  id: string;
  name: string;
  content: Uint8Array | string;
  size?: number;
  /** Where files.info says the file is, instead of this server (a host the bot must not send its token to). */
  downloadUrl?: string;
  /** The download's media type; application/octet-stream unless given. */
  contentType?: string;
  /** The download answers with a redirect there instead of the file. */
  movedTo?: string;
}

/** The `x-slack-signature` Slack sends with a request body at `timestamp` (seconds). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type Failure = { status: 500 } | { status: 429; retryAfter: number } | { error: string };

export interface SlackApiStandIn {
  /** Base URL of the Web API, ending in `/api/` (SLACK_API_URL). */
  apiUrl: string;
  /** A fresh response_url for one command or action. */
  responseUrl(): string;
  calls(method?: string): RecordedCall[];
  /** Waits until a call of `method` matching `match` arrives (after `since`, a call count), or fails (after 20 s unless told). */
  waitFor(
    method: string,
    match?: (c: RecordedCall) => boolean,
    opts?: { since?: number; timeoutMs?: number },
  ): Promise<RecordedCall>;
  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Every call of `method` is answered only after `ms` (0: at once again). */
  slowDown(method: string, ms: number): void;
  /**
   * Calls of `method` arriving from now on wait, unanswered, until the returned function is called (a
   * Slack as slow as a test needs, without a fixed wait).
   */
  hold(method: string): () => void;
  /** Slack works again: failures still queued are dropped. */
  clearFailures(): void;
  addPerson(p: SlackPerson): void;
  /** A channel conversations.info knows, with whether the bot is in it. */
  addChannel(c: SlackChannel): void;
  /**
   * A file shared with the bot: files.info describes it and its `url_private_download` (on this server)
   * serves its bytes to a request carrying the bot token; `size` overrides the size files.info reports.
   */
  addFile(f: SharedFile): void;
  /** The scopes every answer reports in `x-oauth-scopes`, as Slack does for the token used; undefined: none. */
  grantScopes(scopes: string[] | undefined): void;
  count(): number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(contentType: string, raw: string): Record<string, Json> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, Json>) : {};
  const out: Record<string, Json> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // Nested arguments (blocks, view, files) arrive as JSON strings.
    if (/^[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all
      }
    }
    out[key] = value;
  }
  return out;
}

export async function startSlackApi(): Promise<SlackApiStandIn> {
  const recorded: RecordedCall[] = [];
  const people = new Map<string, SlackPerson>();
  const failures = new Map<string, Failure[]>();
  const delays = new Map<string, number>();
  const held = new Map<string, Promise<void>>();
  const channels = new Map<string, SlackChannel>();
  const files = new Map<string, SharedFile>();
  let scopes: string[] | undefined;
  let seq = 0;
  let base = '';

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  function answer(method: string, args: Record<string, Json>): Record<string, unknown> {
    const n = ++seq;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'transfer-bot' };
      case 'users.info': {
        const p = people.get(String(args.user));
        if (!p) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: p.id, locale: p.locale, tz: p.tz, profile: { email: p.email } } };
      }
      case 'users.lookupByEmail': {
        const p = [...people.values()].find(
          (x) => x.email.toLowerCase() === String(args.email).toLowerCase(),
        );
        if (!p) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: { id: p.id, tz: p.tz, locale: p.locale, profile: { email: p.email } } };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: args.view_id ?? `V${n}`, hash: `h${n}` } };
      case 'chat.postMessage': {
        const channel = String(args.channel).startsWith('U')
          ? `D${String(args.channel)}`
          : String(args.channel);
        return {
          ok: true,
          channel,
          ts: `17000000${String(n).padStart(2, '0')}.000100`,
          message: { text: args.text },
        };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `17000000${n}.000200` };
      case 'conversations.info': {
        const c = channels.get(String(args.channel));
        if (!c) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id: c.id, name: c.name, is_channel: true, is_member: c.isMember } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${base}upload/F${n}`, file_id: `F${n}` };
      case 'files.info': {
        const f = files.get(String(args.file));
        if (!f) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          file: {
            id: f.id,
            name: f.name,
            size: f.size ?? Buffer.byteLength(f.content),
            url_private_download:
              f.downloadUrl ?? `${base}files-pri/T1-${f.id}/download/${encodeURIComponent(f.name)}`,
          },
        };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (args.files as { id: string }[]).map((f) => ({ id: f.id })) };
      default:
        return { ok: true };
    }
  }

  /** Answers the call with the next failure queued for its method, if there is one. */
  function refuse(call: RecordedCall, res: ServerResponse): boolean {
    const failure = failures.get(call.method)?.shift();
    if (!failure) return false;
    if ('error' in failure) {
      json(res, 200, { ok: false, error: failure.error });
      return true;
    }
    call.refusedWith = failure.status;
    if (failure.status === 500) json(res, 500, { ok: false, error: 'internal_error' });
    else json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
    return true;
  }

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = req.url ?? '';
    const contentType = String(req.headers['content-type'] ?? '');
    if (url.startsWith('/respond/')) {
      const call: RecordedCall = {
        method: 'response_url',
        args: { ...parseArgs('application/json', raw), path: url },
        at: Date.now(),
      };
      const refused = refuse(call, res);
      recorded.push(call);
      if (!refused) json(res, 200, { ok: true });
      return;
    }
    if (url.startsWith('/api/upload/')) {
      recorded.push({
        method: 'upload',
        args: { id: url.slice('/api/upload/'.length), bytes: Buffer.byteLength(raw) },
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
      return;
    }
    const download = /^\/api\/files-pri\/T1-([^/]+)\/download\//.exec(url);
    if (download) {
      const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      recorded.push({
        method: 'download',
        args: { id: download[1] },
        at: Date.now(),
        ...(bearer ? { token: bearer } : {}),
      });
      const f = files.get(download[1]!);
      // Slack answers a download without the token with its sign-in page, not the file; a file with
      // `movedTo` is answered with a redirect there.
      if (!f || !bearer || f.movedTo) {
        res.writeHead(f ? 302 : 404, { location: f?.movedTo ?? 'https://slack.com/signin' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': f.contentType ?? 'application/octet-stream' });
      res.end(Buffer.from(f.content));
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
    const args = parseArgs(contentType, raw);
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const call: RecordedCall = { method, args, at: Date.now(), ...(bearer ? { token: bearer } : {}) };
    recorded.push(call);
    const delay = delays.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    await held.get(method);
    if (refuse(call, res)) return;
    call.result = answer(method, args);
    json(res, 200, call.result, scopes ? { 'x-oauth-scopes': scopes.join(',') } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}/api/`;
  let responses = 0;

  return {
    apiUrl: base,
    responseUrl: () => `http://127.0.0.1:${port}/respond/${++responses}`,
    calls: (method?: string) => (method ? recorded.filter((c) => c.method === method) : [...recorded]),
    count: () => recorded.length,
    async waitFor(method, match = () => true, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
      for (;;) {
        const found = recorded.slice(opts.since ?? 0).find((c) => c.method === method && match(c));
        if (found) return found;
        if (Date.now() > deadline) {
          const seen = recorded
            .slice(opts.since ?? 0)
            .map((c) => c.method)
            .join(', ');
          throw new Error(`no ${method} call arrived (saw: ${seen || 'nothing'})`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    failNext(method, failure, times = 1) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        ...Array.from({ length: times }, () => failure),
      ]);
    },
    slowDown(method, ms) {
      if (ms > 0) delays.set(method, ms);
      else delays.delete(method);
    },
    hold(method) {
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      held.set(method, gate);
      return () => {
        if (held.get(method) === gate) held.delete(method);
        release();
      };
    },
    clearFailures() {
      failures.clear();
    },
    addPerson(p) {
      people.set(p.id, p);
    },
    addChannel(c) {
      channels.set(c.id, c);
    },
    addFile(f) {
      files.set(f.id, f);
    },
    grantScopes(granted) {
      scopes = granted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
