import { createRequire } from 'node:module';

/** The load generator (autocannon 8), typed for the little of it we use. */
export interface LoadRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Called by autocannon before each send: a request that must differ every time (Slack's trigger_id). */
  setupRequest?: (request: LoadRequest) => LoadRequest;
}

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

interface Autocannon {
  (options: {
    url: string;
    connections: number;
    duration?: number;
    amount?: number;
    requests: LoadRequest[];
    timeout?: number;
  }): Promise<LoadResult>;
}

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** `connections` keep-alive connections sending `requests` in turn for `seconds`, as fast as answered. */
export function load(
  url: string,
  requests: LoadRequest[],
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  return autocannon({ url, connections, duration: seconds, requests, timeout: 10 });
}

/**
 * `connections` keep-alive connections sending `requests` in turn until `amount` have been answered. Unlike
 * a timed run, none is left in flight when it returns: every request sent is counted in the result.
 */
export function loadExactly(
  url: string,
  requests: LoadRequest[],
  connections: number,
  amount: number,
): Promise<LoadResult> {
  return autocannon({ url, connections, amount, requests, timeout: 10 });
}
