import { get } from 'node:http';
import { createServer } from 'node:net';
import type { Config } from '../../src/config.js';
import type { Check } from './doctor.js';
import { explainListenError } from './start-errors.js';

/** How long a bot already on the port is given to answer /metrics. */
const ANSWER_WITHIN_MS = 2_000;

/**
 * HOST and PORT, tried as `start` listens on them: a port opened and closed again at once. A port in use
 * by a running bot is said so (that bot answers its metrics there); anything else is told in `start`'s words.
 */
export async function listenCheck(config: Pick<Config, 'HOST' | 'PORT'>): Promise<Check> {
  const where = `PORT ${config.PORT} on ${config.HOST}`;
  const data = { host: config.HOST, port: config.PORT };
  const err = await tryListen(config);
  if (err === undefined)
    return { id: 'http.listen', status: 'pass', detail: `${where} is free for the bot to listen on`, data };
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && (await botAnswers(config)))
    return {
      id: 'http.listen',
      status: 'pass',
      detail: `${where} is held by a running Asset Transfer Bot (it answers /metrics there); stop it before starting another on this port`,
      data: { ...data, heldByBot: true },
    };
  const explained = explainListenError(err, config) ?? {
    problem: `${where} cannot be listened on (${(err as Error).message})`,
    fix: 'check HOST and PORT',
  };
  return { id: 'http.listen', status: 'fail', detail: explained.problem, fix: explained.fix, data };
}

/** Opens HOST:PORT as the bot's HTTP server would and closes it again; the error, if it could not. */
function tryListen(config: Pick<Config, 'HOST' | 'PORT'>): Promise<unknown> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', resolve);
    server.listen(config.PORT, config.HOST, () => server.close(() => resolve(undefined)));
  });
}

/** Whether what holds the port is this bot: its /metrics names the bot's own counters. */
function botAnswers(config: Pick<Config, 'HOST' | 'PORT'>): Promise<boolean> {
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST === '::' ? '::1' : config.HOST;
  return new Promise((resolve) => {
    // One connection of its own, closed whatever happens: a holder that never answers is not waited on.
    const req = get(
      { host, port: config.PORT, path: '/metrics', agent: false, timeout: ANSWER_WITHIN_MS },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(res.statusCode === 200 && body.includes('transfer_bot_')));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.on('close', () => resolve(false));
  });
}
