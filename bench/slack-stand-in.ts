import { createServer, type IncomingMessage } from 'node:http';

/**
 * A lean stand-in for the Slack Web API and for response_url, run as a process of its own during the
 * ack-path benchmark: it answers what `/transfer list` makes the bot call (auth.test once, users.info
 * once per person, then a POST to response_url per command) and counts the calls; of the requests
 * only the response_url paths answered are kept (one short string per command), to count a command
 * answered twice. `GET /stats` gives the counts; the port is printed on stdout.
 */
const counts = new Map<string, number>();

function json(body: unknown): string {
  return JSON.stringify(body);
}

async function drain(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(method: string, form: URLSearchParams): unknown {
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://bench.slack.example/',
        team: 'Bench',
        user: 'transfer-bot',
        team_id: 'TBENCH',
        user_id: 'UBOT',
        bot_id: 'BBOT',
      };
    case 'users.info': {
      const user = form.get('user') ?? 'U0';
      return {
        ok: true,
        user: {
          id: user,
          locale: 'en-US',
          tz: 'Europe/Paris',
          profile: { email: `${user.toLowerCase()}@bench.example` },
        },
      };
    }
    case 'chat.postMessage':
    case 'chat.postEphemeral':
      return {
        ok: true,
        channel: form.get('channel') ?? 'D0',
        ts: `${Date.now() / 1000}`,
        message_ts: `${Date.now() / 1000}`,
      };
    case 'conversations.open':
      return { ok: true, channel: { id: 'D0BENCH' } };
    default:
      return { ok: true };
  }
}

const answeredUrls = new Set<string>();

const server = createServer((req, res) => {
  void (async () => {
    const body = await drain(req);
    const url = req.url ?? '/';
    if (req.method === 'GET' && url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(json(Object.fromEntries(counts)));
      return;
    }
    if (url.startsWith('/respond/')) {
      // Counted by the first segment: the warm-up's answers and the measured run's apart.
      const run = `response_url:${url.split('/')[2] ?? ''}`;
      counts.set(run, (counts.get(run) ?? 0) + 1);
      // The same response_url answered again: one command answered twice.
      if (answeredUrls.has(url)) counts.set(`${run}:again`, (counts.get(`${run}:again`) ?? 0) + 1);
      answeredUrls.add(url);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const form = new URLSearchParams(req.headers['content-type']?.includes('json') ? '' : body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(json(answer(method, form)));
  })();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${json({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
