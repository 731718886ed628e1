import type { Decision, ItemOutcome } from '../domain/decide.js';
import { keyParam, listParam, msg, type Msg } from '../domain/msg.js';
import { tr, translate, type Locale } from '../i18n/index.js';
import type { NewHistory } from './ports/transfers.js';
import { firstProblems } from './problems.js';

/**
 * Items a history row names one by one (each failed one with its reason); the rest are counted. The
 * row keeps what licensing operations need for their records (which items failed and why, which moved on
 * a retry), bounded so that a transfer of 10,000 items writes a row, not a book.
 */
export const HISTORY_ITEMS_NAMED = 10;

const named = (items: readonly ItemOutcome[], result: ItemOutcome['result']) =>
  items.filter((i) => i.result === result && i.ref !== undefined);

/** `Failed: SO:100-2: has a pending upgrade…`, or, on a retry, `Still failing: …`. */
function failedLine(item: ItemOutcome, retry: boolean): Msg {
  const reason = item.reason ?? msg('eligibility:reason.gone');
  return msg(retry ? 'common:history.stillFailingItem' : 'common:history.failedItem', {
    ...reason.params,
    ref: item.ref ?? '',
    reasonKey: keyParam(reason.key),
  });
}

/**
 * What the transfer itself and a retry record beside their count: on the transfer, each item that failed
 * with its reason; on a retry, the items it moved, those it found already in the destination, and those
 * still failing with their reasons. The first `HISTORY_ITEMS_NAMED` of each kind, then how many more.
 */
export function itemLines(decision: Decision): Msg[] {
  const items = decision.items ?? [];
  if (decision.action === 'execute')
    return firstNamed(named(items, 'failed').map((i) => failedLine(i, false)));
  if (decision.action !== 'retry') return [];
  const moved = named(items, 'transferred').filter((i) => !i.arrived);
  const lines: Msg[] = [];
  if (moved.length > 0) {
    const refs = listParam(moved.slice(0, HISTORY_ITEMS_NAMED).map((i) => i.ref!));
    lines.push(
      moved.length > HISTORY_ITEMS_NAMED
        ? msg('common:history.movedSome', { refs, count: moved.length })
        : msg('common:history.movedItems', { refs, count: moved.length }),
    );
  }
  const arrived = named(items, 'transferred')
    .filter((i) => i.arrived)
    .map((i) => msg('core:retry.arrivedItem', { ref: i.ref! }));
  const failing = named(items, 'failed').map((i) => failedLine(i, true));
  return [...lines, ...firstNamed(arrived), ...firstNamed(failing)];
}

const firstNamed = (lines: Msg[]) => firstProblems(lines, HISTORY_ITEMS_NAMED);

/** The lines a history row recorded in its details (`lines`), as written by `itemLines`. */
export function recordedLines(details: Record<string, unknown> | null): Msg[] {
  const lines = details?.['lines'];
  return Array.isArray(lines) ? lines.filter(isMsg) : [];
}

/** A row's reason and the lines it names, one sentence after another as the reader's language joins them. */
export function withLines(locale: Locale, reason: string | null, lines: readonly Msg[]): string | null {
  return lines.reduce<string | null>((text, line) => {
    const next = tr(locale, line);
    return text === null ? next : translate(locale, 'common:history.then', { first: text, next });
  }, reason);
}

/** A message as a history entry recorded it: a catalog key and, perhaps, its values. */
export function isMsg(value: unknown): value is Msg {
  if (typeof value !== 'object' || value === null) return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  return typeof key === 'string' && (params === undefined || (typeof params === 'object' && params !== null));
}

/** Who did a decision, where, when and what: the part of its history rows every one of them shares. */
export type HistoryBase = Pick<NewHistory, 'transferId' | 'at' | 'actorId' | 'actor' | 'surface' | 'action'>;

/**
 * A decision's history rows: one per status step (or one that changes no status), each with its reason.
 * The row carrying what the decision came to (its note: a retry's count) names its items too.
 */
export function historyRows(base: HistoryBase, decision: Decision): NewHistory[] {
  const counts: ItemCounts | undefined = decision.items
    ? {
        excluded: count(decision.items, 'excluded'),
        transferred: count(decision.items, 'transferred'),
        failed: count(decision.items, 'failed'),
      }
    : undefined;
  const lines = decision.note ? itemLines(decision) : [];
  const row = (why: Msg | undefined, items: ItemCounts | undefined) => {
    const named = why !== undefined && why === decision.note ? lines : [];
    return {
      reason: decision.reason ?? reasonText(why, named),
      details: {
        reasonMsg: why,
        consent: decision.consent?.role,
        items,
        ...(named.length > 0 ? { lines: named } : {}),
      },
    };
  };
  if (decision.steps.length === 0) return [{ ...base, ...row(decision.note, counts) }];
  // The first row of a step carries what the decision came to (a retry's count), unless it has a reason.
  return decision.steps.map((s, i) => ({
    ...base,
    fromStatus: s.from,
    toStatus: s.to,
    ...row(s.reason ?? (i === 0 ? decision.note : undefined), i === 0 ? counts : undefined),
  }));
}

/** How many items a decision left excluded, moved and failed, as its history row records them. */
type ItemCounts = { excluded: number; transferred: number; failed: number };

function count(items: readonly ItemOutcome[], result: ItemOutcome['result']): number {
  return items.filter((i) => i.result === result).length;
}

/**
 * The English text of a system reason and the items it names, for the plain `reason` column; the key and
 * the lines stay in `details`, for each reader's language.
 */
function reasonText(message: Msg | undefined, lines: readonly Msg[]): string | null {
  return message ? withLines('en', tr('en', message), lines) : null;
}
