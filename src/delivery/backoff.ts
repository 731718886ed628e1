/** First retry after about this long; each further attempt doubles it, up to the cap. */
export const BASE_DELAY_MS = 2_000;
export const MAX_DELAY_MS = 15 * 60_000;
/** After this many failed attempts a message is given up (state `dead`), with a history row and a log line. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * How long to wait before attempt `attempts + 1`: exponential, with "equal jitter" (half fixed, half random)
 * so a burst of failures — a platform outage — does not come back as a burst. A platform's Retry-After
 * is a floor: retrying sooner would only earn another 429.
 */
export function retryDelayMs(attempts: number, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
