import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How many bytes of request bodies a route may hold in memory at once, across all its requests. A body
 * is read whole before it can be checked (a signature covers the bytes, a token comes with the JSON), so
 * without a bound, many slow clients each sending a large body would fill the memory.
 */
export class BodyBudget {
  private held = 0;

  constructor(
    /** The most bytes held at once. */
    readonly total: number,
    /** The largest body the route takes. */
    readonly perRequest: number,
  ) {}

  /**
   * Before a body is read: `413` when its declared length is over the route's limit, `503` when reading
   * it would go over the budget (try again shortly), else the bytes are held until the answer is sent or
   * the connection closes. A body without a declared length is counted at the route's limit.
   */
  reserve(req: IncomingMessage, res: ServerResponse): 'ok' | 413 | 503 {
    const declared = req.headers['content-length'];
    const length = declared === undefined ? this.perRequest : Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return 'ok'; // Node refuses a malformed length itself.
    if (length > this.perRequest) return 413;
    const bytes = Math.max(length, 1);
    if (this.held + bytes > this.total) return 503;
    this.held += bytes;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.held -= bytes;
    };
    res.once('finish', release);
    res.once('close', release);
    return 'ok';
  }
}

/** The answer to a body the budget would not take, as JSON like every other refusal. */
export function refuseBody(res: ServerResponse, status: 413 | 503): void {
  const body = JSON.stringify({
    error: status === 413 ? 'the request body is too large' : 'busy, try again shortly',
  });
  res.statusCode = status;
  if (status === 503) res.setHeader('retry-after', '5');
  // The body is not read: the connection cannot be reused for another request.
  res.setHeader('connection', 'close');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
