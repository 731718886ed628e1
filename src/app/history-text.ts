import type { RefusalCode, Surface } from '../domain/types.js';
import { listParam, statusLabel, tr, translate, type Locale } from '../i18n/index.js';
import {
  placedAssetsOf,
  placedElsewhereAction,
  placedElsewhereReason,
} from '../inventory/placed-elsewhere.js';
import { isMsg, recordedLines, withLines } from './history-items.js';
import type { HistoryView } from './views.js';

/** The actor recorded for the bot's own steps (validation, transfer, reminders, expiry): no person did them. */
export const SYSTEM_ACTOR = 'system';
/** The actor recorded for what an inventory import changed of people's roles (`transfer-bot import`). */
export const IMPORT_ACTOR = 'import';

const SURFACES: readonly Surface[] = ['slack', 'teams', 'console', 'cli', 'system'];

/**
 * Who did a history entry, as a reader sees it: a person as recorded (their address), the bot's own
 * steps named in the reader's language rather than as the word stored in the database.
 */
export function actorText(locale: Locale, actor: string): string {
  if (actor === SYSTEM_ACTOR) return translate(locale, 'common:actor.system');
  return actor === IMPORT_ACTOR ? translate(locale, 'common:actor.import') : actor;
}

/** Where a history entry was done, in the reader's language; a surface added later shows as recorded. */
export function surfaceText(locale: Locale, surface: string): string {
  return (SURFACES as readonly string[]).includes(surface)
    ? translate(locale, `common:surface.${surface as Surface}`)
    : surface;
}

/** Every history action the application writes. */
export const HISTORY_ACTIONS = [
  'request',
  'validate',
  'submit',
  'cancel',
  'consent.approve',
  'consent.reject',
  'consent.lost',
  'consent.cannotAnswer',
  'consent.canAnswer',
  'screen.approve',
  'screen.reject',
  'execute',
  'retry',
  'expire',
  'view',
  'export',
  'role.grant',
  'role.revoke',
] as const;
type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** Steps the bot records about its messages: reminders sent and deliveries that failed. */
export const REMINDER_ACTIONS = [
  'reminder.consent',
  'reminder.escalation',
  'reminder.submission',
  'reminder.compliance',
] as const;
/** An inventory import put assets that this completed transfer moved somewhere else (see placed-elsewhere.ts). */
export const INVENTORY_PLACED = 'inventory.placed';

export const DELIVERY_ACTIONS = [
  'delivery.unreachable',
  'delivery.failed',
  'delivery.reachable',
  'delivery.officer',
] as const;

/** What a delivery step was about, as recorded in its details (`what`). */
export const DELIVERED_KINDS = [
  'status',
  'reminder',
  'consentCard',
  'complianceCard',
  'file',
  'message',
] as const;
export type DeliveredKind = (typeof DELIVERED_KINDS)[number];

/** The bot's own steps, never refused to a person. */
const OWN_STEPS = [
  'validate',
  'execute',
  'consent.lost',
  'consent.cannotAnswer',
  'consent.canAnswer',
] as const;

/** What a refused attempt was: anything a person does (see OWN_STEPS). */
export const ATTEMPTS = HISTORY_ACTIONS.filter(
  (a): a is Exclude<HistoryAction, (typeof OWN_STEPS)[number]> =>
    !(OWN_STEPS as readonly string[]).includes(a),
);

export const REFUSAL_CODES: readonly RefusalCode[] = [
  'not_found',
  'forbidden',
  'wrong_status',
  'already_decided',
  'invalid',
  'ineligible',
  'conflict',
];

const DELIVERY_OF = {
  'delivery.unreachable': 'common:history.action.deliveryOf.unreachable',
  'delivery.failed': 'common:history.action.deliveryOf.failed',
  'delivery.reachable': 'common:history.action.deliveryOf.reachable',
  'delivery.officer': 'common:history.action.deliveryOf.officer',
} as const;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** One history entry as a person reads it, in their language: when, who, where, what, and why. */
export interface HistoryEntryText {
  at: Date;
  who: string;
  where: string;
  /** The step in words. */
  what: string;
  /** The status change it made, `From → To`, or null. */
  change: string | null;
  reason: string | null;
}

/** A history entry in the reader's language: no stored word or catalog key reaches the reader. */
export function historyEntryText(locale: Locale, entry: HistoryView): HistoryEntryText {
  const change = entry.to
    ? `${entry.from ? `${statusLabel(locale, entry.from)} → ` : ''}${statusLabel(locale, entry.to)}`
    : null;
  return {
    at: entry.at,
    who: actorText(locale, entry.actor),
    where: surfaceText(locale, entry.surface),
    what: actionText(locale, entry),
    change,
    reason: reasonText(locale, entry),
  };
}

/** `What (From → To)`: the step and the status change on one line, for surfaces that have no columns. */
export function historySummary(locale: Locale, text: HistoryEntryText): string {
  return text.change
    ? translate(locale, 'common:history.line', { what: text.what, change: text.change })
    : text.what;
}

/** `Who (Where)`: who did an entry and on which surface, for surfaces that have no columns. */
export function historyActor(locale: Locale, text: HistoryEntryText): string {
  return translate(locale, 'common:history.by', { who: text.who, where: text.where });
}

const detail = (entry: HistoryView, name: string): string | number | undefined => {
  const value = entry.details?.[name];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
};

function actionText(locale: Locale, entry: HistoryView): string {
  const { action } = entry;
  if (isOneOf(HISTORY_ACTIONS, action)) return translate(locale, `common:history.action.${action}`);
  if (isOneOf(REMINDER_ACTIONS, action)) {
    const number = detail(entry, 'number') ?? 1;
    const name = detail(entry, 'name');
    // A consent reminder names who was reminded (recorded since it did; earlier ones did not).
    if (action === 'reminder.consent' && typeof name === 'string' && name !== '')
      return translate(locale, 'common:history.action.reminderTo.consent', { number, name });
    // An escalation names the administrators told (recorded since it does; earlier ones did not), or says
    // that none could be told: nobody else could give that consent.
    const told = entry.details?.['toNames'];
    if (action === 'reminder.escalation' && Array.isArray(told))
      return told.length > 0
        ? translate(locale, 'common:history.action.reminderTo.escalation', {
            number,
            names: listParam(told.map(String)),
          })
        : translate(locale, 'common:history.action.reminderTo.escalationNobody', { number });
    return translate(locale, `common:history.action.${action}`, { number });
  }
  if (isOneOf(DELIVERY_ACTIONS, action)) {
    const recipient = detail(entry, 'recipient');
    // The copies of a decision card have no one recipient (recorded as `card copies` before).
    if (action === 'delivery.failed' && (recipient === undefined || recipient === 'card copies'))
      return translate(locale, 'common:history.action.delivery.cardsNotUpdated');
    // Which message it was (recorded since it is; earlier steps name only the recipient).
    const what = detail(entry, 'what');
    if (typeof what === 'string' && isOneOf(DELIVERED_KINDS, what)) {
      return translate(locale, DELIVERY_OF[action], {
        recipient: recipient ?? '',
        what: translate(locale, `common:history.delivered.${what}`),
      });
    }
    return translate(locale, `common:history.action.${action}`, { recipient: recipient ?? '' });
  }
  if (action === INVENTORY_PLACED) {
    const placed = placedAssetsOf(entry.details);
    if (placed) return placedElsewhereAction(locale, placed);
  }
  if (action.startsWith('refused.')) {
    const attempted = action.slice('refused.'.length);
    return translate(locale, 'common:history.action.refused', {
      action: isOneOf(ATTEMPTS, attempted)
        ? translate(locale, `common:history.attempt.${attempted}`)
        : attempted,
    });
  }
  // A step added later and not yet named: shown as recorded rather than hidden.
  return action;
}

/** A system reason in the reader's language; a person's own words as written; a refusal by its kind. */
function reasonText(locale: Locale, entry: HistoryView): string | null {
  if (entry.action === INVENTORY_PLACED) {
    const placed = placedAssetsOf(entry.details);
    if (placed) return placedElsewhereReason(locale, placed);
  }
  if (entry.reasonMsg) {
    // The items the step names (which failed and why, which moved) follow what it came to.
    const lines = recordedLines(entry.details);
    const text = withLines(locale, tr(locale, entry.reasonMsg), lines) ?? '';
    // The plain column holds the English of the same message (with its lines, or without, as written
    // before it named them), or the person's own words next to it.
    const english = tr('en', entry.reasonMsg);
    const ownWords =
      entry.reason !== null &&
      entry.reason !== english &&
      entry.reason !== withLines('en', english, lines) &&
      !text.includes(entry.reason);
    return ownWords ? `${text} — ${entry.reason}` : text;
  }
  if (entry.reason === null) return null;
  if (entry.action.startsWith('refused.')) {
    // An attempt refused as incomplete or invalid says what was missing (a reason to reject …), as the
    // person who tried was told; other refusals by their kind.
    const told = entry.details?.['refusal'];
    if (entry.reason === 'invalid' && isMsg(told)) return tr(locale, told);
    return isOneOf(REFUSAL_CODES, entry.reason)
      ? translate(locale, `common:history.refusal.${entry.reason}`)
      : null;
  }
  // Delivery failures keep the transport's own error for the record; the step itself names the recipient.
  if (isOneOf(DELIVERY_ACTIONS, entry.action)) return null;
  return entry.reason;
}
