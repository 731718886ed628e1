import { and, asc, eq, isNull, lte, TransactionRollbackError } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { consents, transfers, users } from '../../db/schema.js';
import { appendHistory, enqueue } from '../../db/transfers-repo.js';
import { expireTransfer } from '../app/actions.js';
import type { AppDeps } from '../app/deps.js';
import { SYSTEM_ACTOR } from '../app/history-text.js';
import { remindersTotal } from '../app/metrics.js';
import { COMPLIANCE_CHANNEL } from '../app/notifications.js';
import { msg, type Msg } from '../i18n/index.js';
import { silentLogger, type JobLogger } from '../delivery/logger.js';
import { claim, claimKey, kindPrefix, lockedStatus, pastReminders } from './claims.js';
import { remindConsents, type DueConsent } from './consent-batch.js';
import { zoneOf } from './local-time.js';
import {
  ageLine,
  complianceStep,
  consentStep,
  submissionStep,
  type Due,
  type PastReminders,
} from './policy.js';
import type { ReminderSettings } from './settings.js';

export interface SweepSummary {
  consentReminders: number;
  escalations: number;
  expiries: number;
  submissionReminders: number;
  complianceReminders: number;
  /** Due, but another instance (or an earlier tick) had claimed it, or the transfer moved on meanwhile. */
  skipped: number;
}

const DAY_MS = 86_400_000;

type TransferRow = typeof transfers.$inferSelect;

/**
 * One pass over everything that may need a reminder (SPEC §6). Safe to run from any number of
 * instances at once and as often as one likes: what is due is computed from the database, and each
 * reminder is claimed with a key unique per (transfer, kind, window) in the same transaction that
 * enqueues it. A window missed while no instance ran is caught up by the next pass.
 */
export async function runReminderSweep(
  deps: AppDeps,
  settings: ReminderSettings,
  now: Date,
  logger: JobLogger = silentLogger,
): Promise<SweepSummary> {
  const summary: SweepSummary = {
    consentReminders: 0,
    escalations: 0,
    expiries: 0,
    submissionReminders: 0,
    complianceReminders: 0,
    skipped: 0,
  };
  await consentSweep(deps, settings, now, summary, logger);
  await idleSweep(deps, settings, now, summary, submissionReminder(settings, now));
  await idleSweep(deps, settings, now, summary, complianceReminder(settings, now));
  return summary;
}

type Outcome = 'sent' | 'skipped';

/** One claimed reminder: claim, check the transfer is still where the reminder assumes, enqueue, record. */
async function remind(
  deps: AppDeps,
  transferId: string,
  expected: string,
  key: string,
  now: Date,
  settings: ReminderSettings,
  work: (tx: Tx) => Promise<boolean>,
): Promise<Outcome> {
  return deps.db
    .transaction(async (tx) => {
      if ((await lockedStatus(tx, transferId)) !== expected) return 'skipped';
      if (!(await claim(tx, key, now, settings.instanceId))) return 'skipped';
      if (!(await work(tx))) {
        // The state changed between our read and the claim: give the claim back with the rest.
        tx.rollback();
      }
      return 'sent';
    })
    .catch((err: unknown) => {
      if (err instanceof TransactionRollbackError) return 'skipped' as const;
      throw err;
    });
}

async function consentSweep(
  deps: AppDeps,
  s: ReminderSettings,
  now: Date,
  summary: SweepSummary,
  logger: JobLogger,
): Promise<void> {
  // Only the columns the policy and the messages need: the sweep reads every awaited consent each tick.
  const pending = await deps.db
    .select({
      consent: {
        id: consents.id,
        transferId: consents.transferId,
        role: consents.role,
        userId: consents.userId,
        requestedAt: consents.requestedAt,
        remindersSent: consents.remindersSent,
        lastRemindedAt: consents.lastRemindedAt,
      },
      timeZone: users.timeZone,
      name: users.name,
      transfer: {
        sourceSmartAccountId: transfers.sourceSmartAccountId,
        destinationSmartAccountId: transfers.destinationSmartAccountId,
      },
    })
    .from(consents)
    .innerJoin(transfers, eq(transfers.id, consents.transferId))
    .innerJoin(users, eq(users.id, consents.userId))
    .where(and(isNull(consents.decision), eq(transfers.status, 'awaiting_consent')))
    .orderBy(asc(consents.id));
  const expireAfterMs = deps.config.consentExpireAfterMs;
  const expired = new Set<string>();
  const due: DueConsent[] = [];
  for (const { consent: c, timeZone, name, transfer } of pending) {
    if (expired.has(c.transferId)) continue;
    const step = consentStep(c, zoneOf(timeZone, s.tzDefault), s, expireAfterMs, now);
    if (step.kind === 'wait') continue;
    if (step.kind === 'expire') {
      expired.add(c.transferId);
      // The core decides and records the cancellation and tells everyone involved (status messages, card refresh).
      const result = await expireTransfer({ ...deps, now: () => now }, c.transferId, c.requestedAt);
      if (result.ok) {
        summary.expiries += 1;
        remindersTotal.inc({ kind: 'expiry' });
      } else {
        summary.skipped += 1;
        logger.warn({ transferId: c.transferId, refusal: result.refusal.code }, 'consent expiry refused');
      }
      continue;
    }
    due.push({
      consentId: c.id,
      transferId: c.transferId,
      role: c.role,
      userId: c.userId,
      name,
      requestedAt: c.requestedAt,
      escalateTo:
        c.role === 'transferee' ? transfer.destinationSmartAccountId : transfer.sourceSmartAccountId,
      number: step.number,
      escalate: step.escalate,
      window: step.window,
    });
  }
  // Expiries first, then every due reminder in batches: a transfer expired above has no reminder due.
  const done = await remindConsents(
    deps,
    now,
    due.filter((d) => !expired.has(d.transferId)),
  );
  summary.consentReminders += done.sent;
  summary.escalations += done.escalations;
  summary.skipped += done.skipped;
}

/** A reminder about a transfer left too long in one status (SPEC §6): when it is due, whom it goes to, what it says. */
interface IdleReminder {
  kind: 'submission' | 'compliance';
  status: 'pending_submission' | 'compliance_screening';
  counter: 'submissionReminders' | 'complianceReminders';
  /** No transfer changed more recently than this can be due: a first filter for the query. */
  idleAtLeastMs: number;
  due: (t: TransferRow, past: PastReminders, requesterZone: string | null) => Due | null;
  message: (
    t: TransferRow,
    due: Due,
  ) => { recipientUserId?: number; recipientChannel?: string; text: Msg; lines: Msg[] };
}

/** SPEC §6: a request left in Pending Submission reminds its requester. */
const submissionReminder = (s: ReminderSettings, now: Date): IdleReminder => ({
  kind: 'submission',
  status: 'pending_submission',
  counter: 'submissionReminders',
  idleAtLeastMs: s.submissionIdleMs,
  due: (t, past, zone) => submissionStep(t.updatedAt, past, zoneOf(zone, s.tzDefault), s, now),
  message: (t, due) => ({
    recipientUserId: t.requesterId,
    text: msg('reminders:submission.reminder', { id: t.id, number: due.number }),
    lines: [ageLine(t.updatedAt, now), msg('reminders:submission.howTo', { id: t.id })],
  }),
});

/** SPEC §6: screening older than its SLA reminds the compliance channel, once per working day. */
const complianceReminder = (s: ReminderSettings, now: Date): IdleReminder => ({
  kind: 'compliance',
  status: 'compliance_screening',
  counter: 'complianceReminders',
  // Working days are never shorter than calendar days: the SLA in calendar days is a safe first filter.
  idleAtLeastMs: s.complianceSlaWorkingDays * DAY_MS,
  // Nothing else changes a transfer while it is screened: its last change is when screening began.
  due: (t, past) => complianceStep(t.updatedAt, past, s.tzDefault, s, now),
  message: (t, due) => ({
    recipientChannel: COMPLIANCE_CHANNEL,
    text: msg('reminders:compliance.reminder', {
      id: t.id,
      number: due.number,
      count: s.complianceSlaWorkingDays,
    }),
    lines: [ageLine(t.updatedAt, now), msg('reminders:compliance.howTo', { id: t.id })],
  }),
});

/** Every transfer idle in the reminder's status: each one due is claimed, enqueued and counted. */
async function idleSweep(
  deps: AppDeps,
  s: ReminderSettings,
  now: Date,
  summary: SweepSummary,
  reminder: IdleReminder,
): Promise<void> {
  const idle = await deps.db
    .select({ transfer: transfers, requesterZone: users.timeZone })
    .from(transfers)
    .innerJoin(users, eq(users.id, transfers.requesterId))
    .where(
      and(
        eq(transfers.status, reminder.status),
        lte(transfers.updatedAt, new Date(now.getTime() - reminder.idleAtLeastMs)),
      ),
    )
    .orderBy(asc(transfers.updatedAt));
  for (const { transfer: t, requesterZone } of idle) {
    const past = await pastReminders(deps.db, kindPrefix(t.id, reminder.kind));
    const due = reminder.due(t, past, requesterZone);
    if (!due) continue;
    const message = reminder.message(t, due);
    const key = claimKey(t.id, reminder.kind, due.window);
    const outcome = await remind(deps, t.id, reminder.status, key, now, s, async (tx) => {
      await enqueue(tx, now, [
        {
          dedupeKey: `${key}:to`,
          recipientUserId: message.recipientUserId ?? null,
          recipientChannel: message.recipientChannel ?? null,
          payload: { type: 'message', transferId: t.id, text: message.text, lines: message.lines },
        },
      ]);
      await appendHistory(tx, [history(t.id, now, `reminder.${reminder.kind}`, { number: due.number })]);
      return true;
    });
    if (outcome === 'sent') {
      summary[reminder.counter] += 1;
      remindersTotal.inc({ kind: reminder.kind });
    } else summary.skipped += 1;
  }
}

function history(transferId: string, at: Date, action: string, details: Record<string, unknown>) {
  return { transferId, at, actor: SYSTEM_ACTOR, surface: 'system', action, reason: null, details };
}
