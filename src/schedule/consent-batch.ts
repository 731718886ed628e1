import type { AppDeps } from '../app/deps.js';
import { SYSTEM_ACTOR } from '../app/history-text.js';
import { remindersTotal } from '../app/metrics.js';
import type { OutboxEntry } from '../app/ports/outbox.js';
import { ConcurrentUpdateError, type Repositories } from '../app/ports/store.js';
import type { NewHistory } from '../app/ports/transfers.js';
import type { ConsentState } from '../domain/types.js';
import { listParam, msg, type Msg } from '../i18n/index.js';
import { claimKey } from './claims.js';
import { ageLine, expiryLine } from './policy.js';

/** The Smart Account an escalation names: its domain (its id, if it could not be read) and its name. */
interface Account {
  domain: string;
  name: string;
}

/** A consent reminder the policy says is due now. */
export interface DueConsent {
  consentId: number;
  transferId: string;
  role: 'transferee' | 'transferor';
  userId: number;
  /** The awaited person's name, for the escalation text. */
  name: string;
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

export async function remindConsents(deps: AppDeps, now: Date, due: DueConsent[]): Promise<BatchSummary> {
  const total: BatchSummary = { sent: 0, escalations: 0, skipped: 0 };
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const batch = due.slice(next, next + CONSENT_BATCH);
      next += CONSENT_BATCH;
      const done = await withRetry(() =>
        deps.store.transaction((repos) => remindBatch(repos, now, deps.config.consentExpireAfterMs, batch)),
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
  // Admins still asked themselves (every eligible transferor, when none was named) are not told to chase
  // one another: they can answer.
  const asked =
    escalating.length === 0
      ? new Map<string, ConsentState[]>()
      : await repos.transfers.consentsOf([...new Set(escalating.map((d) => d.transferId))]);
  const stillAsked = (transferId: string) =>
    new Set((asked.get(transferId) ?? []).filter((c) => c.decision === null).map((c) => c.userId));
  const entries: OutboxEntry[] = [];
  const records: NewHistory[] = [];
  // One escalation per transfer, role and window: with every eligible transferor asked, it names each one
  // awaited, and each admin told hears it once.
  const escalated = new Map<
    string,
    { d: (typeof sent)[number]; names: string[]; to: Set<number>; account: Account; lines: Msg[] }
  >();
  for (const d of sent) {
    const lines: Msg[] = [ageLine(d.requestedAt, now)];
    const left = expiryLine(d.requestedAt, expireAfterMs, now);
    if (left !== null) lines.push(left);
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
    const target = others.get(d.escalateTo);
    const waiting = stillAsked(d.transferId);
    const to = (target?.admins ?? []).map((a) => a.id).filter((id) => id !== d.userId && !waiting.has(id));
    if (to.length === 0) continue;
    const same = escalated.get(d.key);
    if (same) {
      same.names.push(d.name);
      for (const id of to) same.to.add(id);
      continue;
    }
    const account = target?.account ?? { domain: String(d.escalateTo), name: '' };
    escalated.set(d.key, { d, names: [d.name], to: new Set(to), account, lines });
  }
  const nameOf = new Map([...others.values()].flatMap((o) => o.admins.map((a) => [a.id, a.name] as const)));
  for (const { d, names, to, account, lines } of escalated.values()) {
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
    for (const adminId of to)
      entries.push(message(`${d.key}:escalate:${adminId}`, adminId, d.transferId, text, lines));
    records.push(
      history(d.transferId, now, 'reminder.escalation', {
        number: d.number,
        role: d.role,
        to: [...to],
        // Who was told, as the history names them.
        toNames: [...to].map((id) => nameOf.get(id) ?? String(id)),
      }),
    );
  }
  const escalations = escalated.size;
  await repos.outbox.enqueue(now, entries);
  await repos.transfers.appendHistory(records);
  return { sent: sent.length, escalations, skipped: batch.length - sent.length };
}

/** For each Smart Account escalated to in this batch: its display name and its admins, read once. */
async function escalationTargets(
  repos: Repositories,
  escalating: DueConsent[],
): Promise<Map<number, { account: Account; admins: { id: number; name: string }[] }>> {
  const saIds = [...new Set(escalating.map((d) => d.escalateTo))];
  const accounts = await repos.accounts.smartAccountsByIds(saIds);
  const targets = new Map<number, { account: Account; admins: { id: number; name: string }[] }>();
  for (const saId of saIds) {
    const sa = accounts.get(saId);
    targets.set(saId, {
      account: sa ? { domain: sa.domain, name: sa.name } : { domain: String(saId), name: '' },
      admins: (await repos.users.adminsOf(saId)).map((u) => ({ id: u.id, name: u.name })),
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
