import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry for the process; `GET /metrics` serves it. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'transfer_bot_' });

export const requestsTotal = new Counter({
  name: 'transfer_bot_requests_total',
  help: 'Commands and interactions handled, by surface and outcome',
  labelNames: ['surface', 'outcome'] as const,
  registers: [registry],
});

export const requestSeconds = new Histogram({
  name: 'transfer_bot_request_seconds',
  help: 'Time to handle a command or interaction',
  labelNames: ['surface'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const transitionsTotal = new Counter({
  name: 'transfer_bot_transitions_total',
  help: 'Status changes, by the status entered',
  labelNames: ['status'] as const,
  registers: [registry],
});

let outboxDepthSource: (() => Promise<number>) | undefined;

/**
 * Where the outbox depth is counted from when the metrics are read (the running bot's store). Counted at
 * each scrape, not after each delivery: under a burst of decisions the outbox drains many times a second,
 * and each count read the whole backlog.
 */
export function countOutboxWith(source: (() => Promise<number>) | undefined): void {
  outboxDepthSource = source;
}

export const outboxDepth = new Gauge({
  name: 'transfer_bot_outbox_depth',
  help: 'Messages waiting in the outbox',
  registers: [registry],
  async collect() {
    if (!outboxDepthSource) return;
    try {
      this.set(await outboxDepthSource());
    } catch {
      // The database does not answer now: the last count stands (the health check says why).
    }
  },
});

export const deliveriesTotal = new Counter({
  name: 'transfer_bot_deliveries_total',
  help: 'Outbox deliveries, by platform and result (sent, retry, dead, unreachable)',
  labelNames: ['platform', 'result'] as const,
  registers: [registry],
});

export const remindersTotal = new Counter({
  name: 'transfer_bot_reminders_total',
  help: 'Reminders, escalations and expiries sent, by kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const deferredTotal = new Counter({
  name: 'transfer_bot_deferred_total',
  help: 'Commands acknowledged first and answered later, by surface and outcome (queued, or busy: told to retry)',
  labelNames: ['surface', 'outcome'] as const,
  registers: [registry],
});

/** Times one handled request and counts its outcome. */
export async function measured<T>(
  surface: string,
  outcome: (value: T) => string,
  fn: () => Promise<T>,
): Promise<T> {
  const end = requestSeconds.startTimer({ surface });
  try {
    const value = await fn();
    requestsTotal.inc({ surface, outcome: outcome(value) });
    return value;
  } catch (err) {
    requestsTotal.inc({ surface, outcome: 'error' });
    throw err;
  } finally {
    end();
  }
}
