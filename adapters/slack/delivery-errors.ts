import { webApi } from '@slack/bolt';
import { DeliveryError } from '../../src/app/delivery-port.js';

/** Slack errors that no retry can fix: the person, channel or message is gone, or the app may not post there. */
const PERMANENT = new Set([
  'user_not_found',
  'users_not_found',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'restricted_action',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'too_many_attachments',
  'file_not_found',
]);

/** Slack errors that say "later": the worker retries, after Retry-After when Slack gave one. */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

function retryAfterHeader(headers: Record<string, string> | undefined): number | undefined {
  const raw = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const seconds = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * Maps whatever a Slack Web API call threw to the delivery port's error: rate limits carry their
 * Retry-After, server errors and network failures are retried, a gone user or channel is permanent.
 */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new DeliveryError(`${what}: rate limited by Slack`, { retryAfterMs: err.retryAfter * 1000 });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const retryAfterMs = retryAfterHeader(err.headers);
    const permanent =
      err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 429 && err.statusCode !== 408;
    return new DeliveryError(`${what}: Slack answered HTTP ${err.statusCode}`, {
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(permanent ? { permanent } : {}),
    });
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    if (PERMANENT.has(code)) return new DeliveryError(`${what}: ${code}`, { permanent: true });
    const retryAfterMs = code === 'ratelimited' ? 1000 : undefined;
    if (TRANSIENT.has(code))
      return new DeliveryError(`${what}: ${code}`, retryAfterMs !== undefined ? { retryAfterMs } : {});
    return new DeliveryError(`${what}: ${code}`);
  }
  if (err instanceof webApi.WebAPIRequestError) return new DeliveryError(`${what}: ${err.original.message}`);
  return new DeliveryError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}
