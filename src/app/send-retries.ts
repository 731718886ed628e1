/**
 * How a failed send may be tried again: `undefined` when it may not (refused for good, or it may have
 * arrived: a network failure after the request went out), otherwise the least wait the platform asked
 * for (its Retry-After, 0 without one).
 */
export type RetryJudge = (err: unknown) => number | undefined;

export interface SendRetryOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** Time the attempts and waits may take in all (default a minute): a wait that would end later is not made. */
  budgetMs?: number;
  /** The first wait (default 500 ms), doubled each time, with jitter; Retry-After is a floor. */
  baseDelayMs?: number;
  onRetry?: (err: unknown, delayMs: number) => void;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An answer sent after the ack, tried again when the platform refused it for now (throttled, or
 * unavailable): a few times, within a minute. It is never sent again once it has gone through, nor when
 * it may have: only a refusal the platform answered is retried.
 */
export async function sendWithRetries<T>(
  send: () => Promise<T>,
  judge: RetryJudge,
  options: SendRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const budgetMs = options.budgetMs ?? 60_000;
  const base = options.baseDelayMs ?? 500;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepFor;
  const began = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (err) {
      const asked = judge(err);
      if (asked === undefined || attempt >= attempts) throw err;
      const exponential = base * 2 ** (attempt - 1);
      const delay = Math.max(asked, Math.round(exponential / 2 + random() * (exponential / 2)));
      if (Date.now() - began + delay > budgetMs) throw err;
      options.onRetry?.(err, delay);
      await sleep(delay);
    }
  }
}
