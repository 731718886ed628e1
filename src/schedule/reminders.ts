import { and, asc, eq, isNull, lte, TransactionRollbackError } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { consents, transfers, users } from '../../db/schema.js';
import { appendHistory, enqueue } from '../../db/transfers-repo.js';
import { expireTransfer } from '../app/actions.js';
import type { AppDeps } from '../app/deps.js';
import { remindersTotal } from '../app/metrics.js';
import { COMPLIANCE_CHANNEL } from '../app/notifications.js';
import { msg, type Msg } from '../i18n/index.js';
import { silentLogger, type JobLogger } from '../delivery/logger.js';
import { claim, claimKey, kindPrefix, lockedStatus, pastReminders } from './claims.js';
import { remindConsents, type DueConsent } from './consent-batch.js';
import { zoneOf } from './local-time.js';
import { ageLine, complianceStep, consentStep, submissionStep, type Due } from './policy.js';
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
  await submissionSweep(deps, settings, now, summary);
  await complianceSweep(deps, settings, now, summary);
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
    s,
    now,
    due.filter((d) => !expired.has(d.transferId)),
  );
  summary.consentReminders += done.sent;
  summary.escalations += done.escalations;
  summary.skipped += done.skipped;
}

/** SPEC §6: a request left in Pending Submission reminds its requester. */
async function submissionSweep(
  deps: AppDeps,
  s: ReminderSettings,
  now: Date,
  summary: SweepSummary,
): Promise<void> {
  const idle = await deps.db
    .select({ transfer: transfers, timeZone: users.timeZone })
    .from(transfers)
    .innerJoin(users, eq(users.id, transfers.requesterId))
    .where(
      and(
        eq(transfers.status, 'pending_submission'),
        lte(transfers.updatedAt, new Date(now.getTime() - s.submissionIdleMs)),
      ),
    )
    .orderBy(asc(transfers.updatedAt));
  for (const { transfer: t, timeZone } of idle) {
    const past = await pastReminders(deps.db, kindPrefix(t.id, 'submission'));
    const due = submissionStep(t.updatedAt, past, zoneOf(timeZone, s.tzDefault), s, now);
    if (!due) continue;
    const outcome = await stageReminder(deps, s, now, t.id, 'pending_submission', 'submission', due, {
      recipientUserId: t.requesterId,
      text: msg('reminders:submission.reminder', { id: t.id, number: due.number }),
      lines: [ageLine(t.updatedAt, now), msg('reminders:submission.howTo', { id: t.id })],
    });
    if (outcome === 'sent') summary.submissionReminders += 1;
    else summary.skipped += 1;
  }
}

/** SPEC §6: screening older than its SLA reminds the compliance channel, once per working day. */
async function complianceSweep(
  deps: AppDeps,
  s: ReminderSettings,
  now: Date,
  summary: SweepSummary,
): Promise<void> {
  // Working days are never shorter than calendar days: the SLA in calendar days is a safe first filter.
  const waiting = await deps.db
    .select()
    .from(transfers)
    .where(
      and(
        eq(transfers.status, 'compliance_screening'),
        lte(transfers.updatedAt, new Date(now.getTime() - s.complianceSlaWorkingDays * DAY_MS)),
      ),
    )
    .orderBy(asc(transfers.updatedAt));
  for (const t of waiting) {
    const past = await pastReminders(deps.db, kindPrefix(t.id, 'compliance'));
    // Nothing else changes a transfer while it is screened: its last change is when screening began.
    const due = complianceStep(t.updatedAt, past, s.tzDefault, s, now);
    if (!due) continue;
    const outcome = await stageReminder(deps, s, now, t.id, 'compliance_screening', 'compliance', due, {
      recipientChannel: COMPLIANCE_CHANNEL,
      text: msg('reminders:compliance.reminder', {
        id: t.id,
        number: due.number,
        count: s.complianceSlaWorkingDays,
      }),
      lines: [ageLine(t.updatedAt, now), msg('reminders:compliance.howTo', { id: t.id })],
    });
    if (outcome === 'sent') summary.complianceReminders += 1;
    else summary.skipped += 1;
  }
}

async function stageReminder(
  deps: AppDeps,
  s: ReminderSettings,
  now: Date,
  transferId: string,
  status: 'pending_submission' | 'compliance_screening',
  kind: 'submission' | 'compliance',
  due: Due,
  message: { recipientUserId?: number; recipientChannel?: string; text: Msg; lines: Msg[] },
): Promise<Outcome> {
  const key = claimKey(transferId, kind, due.window);
  const outcome = await remind(deps, transferId, status, key, now, s, async (tx) => {
    await enqueue(tx, now, [
      {
        dedupeKey: `${key}:to`,
        recipientUserId: message.recipientUserId ?? null,
        recipientChannel: message.recipientChannel ?? null,
        payload: { type: 'message', transferId, text: message.text, lines: message.lines },
      },
    ]);
    await appendHistory(tx, [history(transferId, now, `reminder.${kind}`, { number: due.number })]);
    return true;
  });
  if (outcome === 'sent') remindersTotal.inc({ kind });
  return outcome;
}

function history(transferId: string, at: Date, action: string, details: Record<string, unknown>) {
  return { transferId, at, actor: 'system', surface: 'system', action, reason: null, details };
}
