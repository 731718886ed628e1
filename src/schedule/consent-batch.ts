import { sql } from 'drizzle-orm';
import { smartAccountsByIds } from '../../db/accounts-repo.js';
import { pgErrorCode, rowsOf, type Tx } from '../../db/client.js';
import { appendHistoryMany, enqueueMany } from '../../db/bulk-writes.js';
import { consents, transfers, type OutboxPayload } from '../../db/schema.js';
import type { NewHistory, OutboxEntry } from '../../db/transfers-repo.js';
import { adminsOf } from '../../db/users-repo.js';
import type { AppDeps } from '../app/deps.js';
import { SYSTEM_ACTOR } from '../app/history-text.js';
import { remindersTotal } from '../app/metrics.js';
import { msg, type Msg } from '../i18n/index.js';
import { claimKey } from './claims.js';
import { ageLine, daysUntilExpiry } from './policy.js';

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
        deps.db.transaction((tx) => remindBatch(tx, now, deps.config.consentExpireAfterMs, batch)),
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
      const code = pgErrorCode(err);
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}

async function remindBatch(
  tx: Tx,
  now: Date,
  expireAfterMs: number,
  batch: DueConsent[],
): Promise<BatchSummary> {
  const bumped = await bumpConsents(tx, batch, now);
  const sent = batch
    .filter((d) => bumped.has(d.consentId))
    .map((d) => ({ ...d, key: claimKey(d.transferId, `consent-${d.role}`, d.window) }));
  const escalating = sent.filter((d) => d.escalate);
  const others = await escalationTargets(tx, escalating);
  const entries: OutboxEntry[] = [];
  const records: NewHistory[] = [];
  let escalations = 0;
  for (const d of sent) {
    const lines: Msg[] = [ageLine(d.requestedAt, now)];
    const left = daysUntilExpiry(d.requestedAt, expireAfterMs, now);
    if (left !== null) lines.push(msg('reminders:consent.expiresIn', { count: left }));
    const params = { id: d.transferId, number: d.number, role: d.role };
    entries.push(
      message(`${d.key}:to:${d.userId}`, d.userId, d.transferId, msg('reminders:consent.reminder', params), [
        lines[0]!,
        msg('reminders:consent.howTo', { id: d.transferId }),
        ...lines.slice(1),
      ]),
    );
    records.push(
      history(d.transferId, now, 'reminder.consent', { number: d.number, role: d.role, to: d.userId }),
    );
    if (!d.escalate) continue;
    const target = others.get(d.escalateTo);
    const to = (target?.admins ?? []).filter((id) => id !== d.userId);
    if (to.length === 0) continue;
    escalations += 1;
    const text = msg('reminders:consent.escalation', {
      ...params,
      name: d.name,
      account: target?.account ?? String(d.escalateTo),
    });
    for (const adminId of to)
      entries.push(message(`${d.key}:escalate:${adminId}`, adminId, d.transferId, text, lines));
    records.push(history(d.transferId, now, 'reminder.escalation', { number: d.number, role: d.role, to }));
  }
  await enqueueMany(tx, now, entries);
  await appendHistoryMany(tx, records);
  return { sent: sent.length, escalations, skipped: batch.length - sent.length };
}

/**
 * Each consent moves from `number - 1` reminders to `number` — if nobody decided or reminded it
 * meanwhile, and its transfer still awaits consent. That compare-and-set is the claim: of two instances
 * (or a tick that overran into the next) only one moves a consent, and only that one sends its reminder;
 * the other finds the count moved on. The transfers are read under a share lock, so a decision arriving
 * meanwhile waits for our commit, and one that committed first is seen: no reminder goes out for a
 * transfer that moved on. Rows are locked in id order, so two sweeps wait for each other, not deadlock.
 */
async function bumpConsents(tx: Tx, due: DueConsent[], now: Date): Promise<Set<number>> {
  const moves = JSON.stringify(due.map((d) => ({ id: d.consentId, n: d.number, t: d.transferId })));
  // One scan of the list joined to each table by its key: the planner cannot size a JSON list, and
  // joining two scans of it row by row would cost a batch seconds.
  const result = await tx.execute(sql`
    with live as (
      select v.id, v.n from jsonb_to_recordset(${moves}::jsonb) as v(id integer, n integer, t text)
      join ${transfers} on ${transfers.id} = v.t
      where ${transfers.status} = 'awaiting_consent'
      order by ${transfers.id}
      for share of ${transfers}
    )
    update ${consents} set reminders_sent = live.n, last_reminded_at = ${now.toISOString()}::timestamptz
    from live
    where ${consents.id} = live.id and ${consents.remindersSent} = live.n - 1 and ${consents.decision} is null
    returning ${consents.id} as id`);
  return new Set(rowsOf<{ id: number }>(result).map((r) => Number(r.id)));
}

/** For each Smart Account escalated to in this batch: its display name and its admins, read once. */
async function escalationTargets(
  tx: Tx,
  escalating: DueConsent[],
): Promise<Map<number, { account: string; admins: number[] }>> {
  const saIds = [...new Set(escalating.map((d) => d.escalateTo))];
  const accounts = await smartAccountsByIds(tx, saIds);
  const targets = new Map<number, { account: string; admins: number[] }>();
  for (const saId of saIds) {
    const sa = accounts.get(saId);
    targets.set(saId, {
      account: sa ? `${sa.name} (${sa.domain})` : String(saId),
      admins: (await adminsOf(tx, saId)).map((u) => u.id),
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
  const payload: OutboxPayload = { type: 'message', transferId, text, lines };
  return { dedupeKey, recipientUserId, payload };
}

function history(transferId: string, at: Date, action: string, details: Record<string, unknown>): NewHistory {
  return { transferId, at, actor: SYSTEM_ACTOR, surface: 'system', action, reason: null, details };
}
