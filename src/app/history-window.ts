import { msg, type Msg } from '../i18n/index.js';
import type { HistoryView } from './views.js';

/** How many history entries a chat view (Slack, Teams) draws: the first (the request) and the latest. */
export const CHAT_HISTORY_ENTRIES = 10;

/** The part of a transfer's history a chat view draws, and what it says of the rest. */
export interface HistoryWindow {
  /** The first entry (who requested, when, where): always drawn. */
  first: HistoryView[];
  /** How many entries after the first and before the latest are not drawn (0: none). */
  leftOut: number;
  /** Where they are left out, what the reader is told: how many, and where the full history is. */
  note: Msg | null;
  /** The latest entries, oldest first. */
  latest: HistoryView[];
}

/**
 * The history a chat view shows of a transfer: all of it up to `max` entries; past that, the request and
 * the latest `max - 1`, with a note counting those left out between them — never cut without a word.
 */
export function historyWindow(
  transfer: { id: string; history: readonly HistoryView[] },
  max = CHAT_HISTORY_ENTRIES,
): HistoryWindow {
  const all = transfer.history;
  if (all.length <= max) return { first: [], leftOut: 0, note: null, latest: [...all] };
  const latest = all.slice(all.length - Math.max(0, max - 1));
  const leftOut = all.length - 1 - latest.length;
  return {
    first: all.slice(0, 1),
    leftOut,
    note: msg('common:history.leftOut', { count: leftOut, id: transfer.id }),
    latest,
  };
}
