import { DeliveryError } from '../../src/app/delivery-port.js';

/** Teams asks for a retry on a timeout (408), a stale write (412), throttling (429) and server trouble (5xx). */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
/** The bot was removed, blocked, or the conversation is gone: trying again cannot help. */
const PERMANENT = new Set([400, 403, 404, 410]);

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  const status = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?(name: string): string | undefined } } } | null)
    ?.response?.headers;
  const value = headers?.get?.('retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A Bot Connector failure as the delivery worker understands it. */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const status = statusOf(err);
  const detail = `${what}: ${status !== undefined ? `HTTP ${status}` : (err as Error)?.message || 'failed'}`;
  if (status !== undefined && PERMANENT.has(status)) return new DeliveryError(detail, { permanent: true });
  const after = retryAfterMs(err);
  if (status !== undefined && RETRYABLE.has(status))
    return new DeliveryError(detail, after !== undefined ? { retryAfterMs: after } : {});
  // Network errors and anything unexpected: worth another try later.
  return new DeliveryError(detail, after !== undefined ? { retryAfterMs: after } : {});
}

export function isNotReachable(err: unknown): boolean {
  const status = statusOf(err);
  return status === 403 || status === 404;
}

/**
 * Whether a send the connector refused may be made again, and after how long at least (its Retry-After):
 * only when the connector answered that it is throttling or unavailable, so the message did not go out.
 * A failure without an answer is not retried: the message may have arrived.
 */
export function sendRetryAfter(err: unknown): number | undefined {
  const status = statusOf(err);
  if (status === undefined || status === 412 || !RETRYABLE.has(status)) return undefined;
  return retryAfterMs(err) ?? 0;
}
