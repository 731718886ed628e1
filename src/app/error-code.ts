/**
 * The first `code` that `accepts` takes, on an error or the causes it wraps (four deep at most): drivers
 * and HTTP clients put the code of what failed on an inner error (`fetch failed` ← `ECONNREFUSED`).
 */
export function causeCode(err: unknown, accepts: (code: string) => boolean): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && accepts(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
