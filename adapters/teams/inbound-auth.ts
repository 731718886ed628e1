import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { refusalLog } from '../http/refusal-log.js';

/**
 * Checks on what Teams posts to `/api/messages` that come before and after the SDK's own token validation
 * (signature, expiry, audience and service URL are the SDK's, in framework.ts).
 */

/** Larger than any token the Bot Connector sends (about 1.5 kB), small enough to decode without care. */
const MAX_AUTHORIZATION_LENGTH = 8192;
const SIGNING_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Only the channel's own tokens are let through to the SDK. It also accepts Emulator and skill tokens,
 * which this bot never receives, and its Emulator check adds every `tid` it reads, before any signature
 * is checked, to a list that is never trimmed: a stream of forged tokens would grow it without end.
 * Returns why the header is refused, or undefined when it may be validated.
 */
export function screenChannelToken(authorization: string, channelIssuer: string): string | undefined {
  if (authorization === '') return 'no token';
  if (authorization.length > MAX_AUTHORIZATION_LENGTH) return 'token too long';
  const match = /^Bearer ([^.\s]+)\.([^.\s]+)\.([^.\s]*)$/.exec(authorization);
  if (!match) return 'not a bearer JWT';
  const header = decodePart(match[1]);
  const payload = decodePart(match[2]);
  if (!header || !payload) return 'not a bearer JWT';
  if (typeof header.alg !== 'string' || !SIGNING_ALGORITHMS.has(header.alg))
    return 'signing algorithm refused';
  if (payload.iss !== channelIssuer) return 'issuer is not the channel';
  return undefined;
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' ? current : undefined;
}

/**
 * A bot that serves named tenants (a single-tenant app's own, those TEAMS_TENANTS lists) serves those only:
 * every tenant the activity names (and the token's `tid`, when it has one) must be one of them, and at
 * least one must be named. Another tenant's directory could otherwise give the e-mail of an inventory
 * person who has not written yet, and be linked as them.
 */
export function tenantRefusal(
  activity: unknown,
  tokenTenant: string | undefined,
  served: readonly string[],
): string | undefined {
  const named = [
    stringAt(activity, 'conversation', 'tenantId'),
    stringAt(activity, 'channelData', 'tenant', 'id'),
    tokenTenant,
  ].filter((t): t is string => t !== undefined);
  if (named.length === 0) return 'no tenant named';
  const allowed = new Set(served.map((t) => t.toLowerCase()));
  return named.every((t) => allowed.has(t.toLowerCase())) ? undefined : 'another tenant';
}

const JWT_LIBRARY_REFUSALS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * Why an authentication error is a refusal of the request (401), or undefined when it is trouble on our
 * side (the signing keys could not be fetched): then 500, and the operator is told. The SDK lets a
 * forged signature through as the JWT library's own error, which would otherwise become a 500.
 */
export function refusalOf(err: unknown): string | undefined {
  const e = err as { name?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (typeof e?.name === 'string' && JWT_LIBRARY_REFUSALS.has(e.name)) return String(e.message);
  if (e?.statusCode === 401) return typeof e.message === 'string' ? e.message : 'unauthorized';
  return undefined;
}

/** A request this bot refuses after (or instead of) the SDK's validation. */
export class Refused extends Error {}

/** The SDK reads these as dates (what its own HTTP entry point does before a turn). */
function withDates(body: Record<string, unknown>): Record<string, unknown> {
  const activity = { ...body };
  for (const field of ['timestamp', 'localTimestamp', 'expiration']) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[`raw${field[0]!.toUpperCase()}${field.slice(1)}`] = value;
      activity[field] = new Date(value);
    }
  }
  return activity;
}

/**
 * The HTTP side of `POST /api/messages` before a turn: the body must be an activity and `authenticate`
 * must accept its Authorization header; otherwise the answer (400, 401, or 500 when the keys cannot be
 * read) is sent here, as JSON without details, and undefined returned.
 */
export function createAdmission<Authenticated>(
  authenticate: (activity: Record<string, unknown>, authorization: string) => Promise<Authenticated>,
  logger: Logger,
): (
  req: Request,
  res: Response,
) => Promise<{ activity: Record<string, unknown>; authenticated: Authenticated } | undefined> {
  const warned = refusalLog(logger, 'teams: request refused (401)');
  // The kind without whatever the token said after the colon, so that forged values cannot grow the map.
  const logRefusal = (reason: string) => warned(reason.split(':')[0]!, { reason });
  return async (req, res) => {
    const body: unknown = req.body;
    if (
      !body ||
      typeof body !== 'object' ||
      Array.isArray(body) ||
      typeof (body as { type?: unknown }).type !== 'string'
    ) {
      res.status(400).json({ error: 'expected a Bot Framework activity' });
      return undefined;
    }
    const activity = withDates(body as Record<string, unknown>);
    const header = req.headers.authorization;
    try {
      return {
        activity,
        authenticated: await authenticate(activity, typeof header === 'string' ? header : ''),
      };
    } catch (err) {
      const reason = err instanceof Refused ? err.message : refusalOf(err);
      if (reason === undefined) {
        logger.error(
          { err },
          'teams: cannot authenticate requests (the OpenID metadata or its keys cannot be read)',
        );
        res.status(500).json({ error: 'cannot authenticate the request now' });
      } else {
        logRefusal(reason);
        res.status(401).json({ error: 'unauthorized' });
      }
      return undefined;
    }
  };
}
