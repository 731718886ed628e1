import type { Logger } from 'pino';

/** How often each kind of refusal is logged at warn; the ones in between go to debug. */
const WARN_EVERY_MS = 600_000;
/** Kinds remembered at most: forged values cannot grow the map past this. */
const KINDS_KEPT = 100;

/**
 * Logs the first refusal of each kind every ten minutes at warn, the others at debug: one refusal is
 * worth an operator's attention, a thousand of them (a wrong app ID refuses every message, a shared
 * channel's outsiders every click) would drown the log. `kind` is cut to 80 characters.
 */
export function refusalLog(
  logger: Logger,
  message: string,
): (kind: string, fields: Record<string, unknown>) => void {
  const lastWarned = new Map<string, number>();
  return (kind, fields) => {
    const key = kind.slice(0, 80);
    const now = Date.now();
    const last = lastWarned.get(key);
    if (last === undefined || now - last > WARN_EVERY_MS) {
      if (lastWarned.size >= KINDS_KEPT) lastWarned.clear();
      lastWarned.set(key, now);
      logger.warn(fields, message);
    } else {
      logger.debug(fields, message);
    }
  };
}
