import type { AppDeps } from '../app/deps.js';
import { SYSTEM_ACTOR } from '../app/history-text.js';
import { remindersTotal } from '../app/metrics.js';
import type { OutboxEntry } from '../app/ports/outbox.js';
import { ConcurrentUpdateError, type Repositories } from '../app/ports/store.js';
import type { NewHistory } from '../app/ports/transfers.js';
import type { UserRow } from '../app/ports/users.js';
import { reminderTimeZone } from '../app/reader.js';
import { consentAnswerers } from '../domain/consenters.js';
import type { ConsentState, SmartAccountRef } from '../domain/types.js';
import { listParam, msg, type Msg } from '../i18n/index.js';
import { claimKey } from './claims.js';
import { ageLine, expiryLine } from './policy.js';
import type { ReminderSettings } from './settings.js';

/** What an escalation needs of the reminder policy: when each admin's reminder windows open, on their clock. */
export type EscalationClock = Pick<ReminderSettings, 'schedule' | 'tzDefault'>;

/** A consent reminder the policy says is due now. */
export interface DueConsent {
  consentId: number;
  transferId: string;
  role: 'transferee' | 'transferor';
  userId: number;
  /** The awaited person's name, for the escalation text. */
  name: string;
  /** Who asked for the transfer: the one waiting for the answer, never asked to chase it. */
  requesterId: number;
  requestedAt: Date;
  /** Where escalations go: the Smart Account on the awaited person's side. */
  escalateTo: number;
  number: number;
  escalate: boolean;
  window: string;
}

export interface BatchSummary {
  sent: number;
  escalations: number;
  skipped: number;
}

/**
 * Due reminders per database transaction: what one transaction per reminder did — the same messages and
 * history, each reminder sent at most once — in three statements per batch instead of six per reminder.
 */
export const CONSENT_BATCH = 2000;

/**
 * Batches in flight at once. A PostgreSQL server works on two on separate connections (the sweep waits
 * on the server more than on itself); the embedded database takes them one after the other.
 */
const BATCHES_AT_ONCE = 2;

export async function remindConsents(
  deps: AppDeps,
  clock: EscalationClock,
  now: Date,
  due: DueConsent[],
): Promise<BatchSummary> {
  const total: BatchSummary = { sent: 0, escalations: 0, skipped: 0 };
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const batch = due.slice(next, next + CONSENT_BATCH);
      next += CONSENT_BATCH;
      const done = await withRetry(() =>
        deps.store.transaction((repos) =>
          remindBatch(repos, clock, now, deps.config.consentExpireAfterMs, batch),
        ),
      );
      total.sent += done.sent;
      total.escalations += done.escalations;
      total.skipped += done.skipped;
      remindersTotal.inc({ kind: 'consent' }, done.sent);
      if (done.escalations > 0) remindersTotal.inc({ kind: 'escalation' }, done.escalations);
    }
  };
  await Promise.all(Array.from({ length: BATCHES_AT_ONCE }, lane));
  return total;
}

/**
 * Two instances sweeping at once lock in the same order, so they wait for each other rather than
 * deadlock; should the server still pick a victim, the batch runs again from the start.
 */
async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3 || !(err instanceof ConcurrentUpdateError)) throw err;
    }
  }
}

async function remindBatch(
  repos: Repositories,
  clock: EscalationClock,
  now: Date,
  expireAfterMs: number,
  batch: DueConsent[],
): Promise<BatchSummary> {
  // Each consent moves from `number - 1` reminders to `number`: that compare-and-set is the claim, so of two
  // instances (or a tick that overran into the next) only one sends a reminder, and none goes out for a
  // transfer that moved on.
  const bumped = await repos.reminders.countReminders(batch, now, 'awaiting_consent');
  const sent = batch
    .filter((d) => bumped.has(d.consentId))
    .map((d) => ({ ...d, key: claimKey(d.transferId, `consent-${d.role}`, d.window) }));
  const escalating = sent.filter((d) => d.escalate);
  const others = await escalationTargets(repos, escalating);
  // Who is asked to consent on each transfer escalating (whether they answered or not): none of them is
  // told to chase another (see consentAnswerers).
  const asked =
    escalating.length === 0
      ? new Map<string, ConsentState[]>()
      : await repos.transfers.consentsOf([...new Set(escalating.map((d) => d.transferId))]);
  const consenterIds = (transferId: string) => (asked.get(transferId) ?? []).map((c) => c.userId);
  const entries: OutboxEntry[] = [];
  const records: NewHistory[] = [];
  // One escalation per transfer, role and window: with every eligible transferor asked, it names each one
  // awaited, and each admin told hears it once.
  const escalated = new Map<
    string,
    { d: (typeof sent)[number]; names: string[]; to: Map<number, Date>; account: SmartAccountRef }
  >();
  for (const d of sent) {
    const lines = reminderLines(d, expireAfterMs, now);
    const params = { id: d.transferId, number: d.number, role: d.role };
    entries.push(
      message(`${d.key}:to:${d.userId}`, d.userId, d.transferId, msg('reminders:consent.reminder', params), [
        lines[0]!,
        msg('reminders:consent.howTo', { id: d.transferId }),
        ...lines.slice(1),
      ]),
    );
    records.push(
      history(d.transferId, now, 'reminder.consent', {
        number: d.number,
        role: d.role,
        to: d.userId,
        // Who was reminded, as the history names them (several are reminded when every transferor is asked).
        name: d.name,
      }),
    );
    if (!d.escalate) continue;
    const same = escalated.get(d.key);
    if (same) {
      same.names.push(d.name);
      continue;
    }
    // Only admins who could give this consent themselves, each at the opening of their own next reminder
    // window (now, if they are in one): never in their evening, night or weekend, nor after the consent
    // would expire.
    const to = new Map<number, Date>();
    const account = others.get(d.escalateTo)?.account ?? unreadAccount(d.escalateTo);
    const could = consentAnswerers(
      d.role,
      { requesterId: d.requesterId, consenterIds: consenterIds(d.transferId) },
      account,
      others.get(d.escalateTo)?.admins ?? [],
    );
    for (const admin of could) {
      const at = heldUntil(clock, admin, now);
      if (at !== null && !expiredBy(d, expireAfterMs, at)) to.set(admin.id, at);
    }
    escalated.set(d.key, { d, names: [d.name], to, account });
  }
  const nameOf = new Map([...others.values()].flatMap((o) => o.admins.map((a) => [a.id, a.name] as const)));
  let escalations = 0;
  for (const { d, names, to, account } of escalated.values()) {
    const text = msg('reminders:consent.escalation', {
      id: d.transferId,
      number: d.number,
      role: d.role,
      // Several transferors, all still silent: named as a list, the sentence in the plural.
      name: listParam(names),
      count: names.length,
      // Named in the reader's language when delivered (`{{account, account}}`): its domain and its name.
      account: account.domain,
      accountName: account.name,
    });
    for (const [adminId, at] of to) {
      const entry = message(
        `${d.key}:escalate:${adminId}`,
        adminId,
        d.transferId,
        text,
        // Its age and the time left as they will be when it arrives.
        reminderLines(d, expireAfterMs, at),
      );
      // Held until then; dropped at delivery if the consent was answered (or the transfer moved on) meanwhile.
      entries.push({
        ...entry,
        dueAt: at,
        payload: { ...entry.payload, whileOpen: `consent:${d.role}` },
      });
    }
    if (to.size > 0) escalations += 1;
    records.push(
      history(d.transferId, now, 'reminder.escalation', {
        number: d.number,
        role: d.role,
        to: [...to.keys()],
        // Who was told, as the history names them: nobody, when no other admin could give this consent.
        toNames: [...to.keys()].map((id) => nameOf.get(id) ?? String(id)),
        // When it reaches those it is held for: until then, they have not been asked to follow up.
        heldUntil: Object.fromEntries(
          [...to].flatMap(([id, at]) => (at > now ? [[String(id), at.toISOString()]] : [])),
        ),
      }),
    );
  }
  await repos.outbox.enqueue(now, entries);
  await repos.transfers.appendHistory(records);
  return { sent: sent.length, escalations, skipped: batch.length - sent.length };
}

/** The age of the request, and the time it has left when consents expire, as of `at`. */
function reminderLines(d: DueConsent, expireAfterMs: number, at: Date): Msg[] {
  const lines: Msg[] = [ageLine(d.requestedAt, at)];
  const left = expiryLine(d.requestedAt, expireAfterMs, at);
  if (left !== null) lines.push(left);
  return lines;
}

/** Whether the consent will have expired by `at` (consents expire when `expireAfterMs` is above 0). */
function expiredBy(d: DueConsent, expireAfterMs: number, at: Date): boolean {
  return expireAfterMs > 0 && at.getTime() >= d.requestedAt.getTime() + expireAfterMs;
}

/**
 * When an escalation may reach this admin: now, within one of their reminder windows; else when their next
 * one opens, on their own clock (the zone their own reminders keep, see `reminderTimeZone`). Null when the
 * schedule opens no window ahead for them.
 */
function heldUntil(clock: EscalationClock, admin: UserRow, now: Date): Date | null {
  const zone = reminderTimeZone(admin, clock.tzDefault);
  if (clock.schedule.windowAt(now, zone) !== null) return now;
  return clock.schedule.nextFires(now, zone, 1)[0] ?? null;
}

/** An account that could not be read: named by its id, with no legal entity (so no transferor to tell). */
function unreadAccount(id: number): SmartAccountRef {
  return { id, domain: String(id), name: '', legalEntityId: null };
}

/** For each Smart Account escalated to in this batch: the account and its admins, read once. */
async function escalationTargets(
  repos: Repositories,
  escalating: DueConsent[],
): Promise<Map<number, { account: SmartAccountRef; admins: UserRow[] }>> {
  const saIds = [...new Set(escalating.map((d) => d.escalateTo))];
  const accounts = await repos.accounts.smartAccountsByIds(saIds);
  const targets = new Map<number, { account: SmartAccountRef; admins: UserRow[] }>();
  for (const saId of saIds) {
    targets.set(saId, {
      account: accounts.get(saId) ?? unreadAccount(saId),
      admins: await repos.users.adminsOf(saId),
    });
  }
  return targets;
}

function message(
  dedupeKey: string,
  recipientUserId: number,
  transferId: string,
  text: Msg,
  lines: Msg[],
): OutboxEntry {
  return { dedupeKey, recipientUserId, payload: { type: 'message', transferId, text, lines } };
}

function history(transferId: string, at: Date, action: string, details: Record<string, unknown>): NewHistory {
  return { transferId, at, actor: SYSTEM_ACTOR, surface: 'system', action, reason: null, details };
}
