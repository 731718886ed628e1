import { and, asc, eq, isNull, lte, TransactionRollbackError } from 'drizzle-orm';
import { smartAccountsByIds } from '../../db/accounts-repo.js';
import type { Tx } from '../../db/client.js';
import { consents, transfers, users } from '../../db/schema.js';
import { appendHistory, enqueue, type OutboxEntry } from '../../db/transfers-repo.js';
import { adminsOf } from '../../db/users-repo.js';
import { expireTransfer } from '../app/actions.js';
import type { AppDeps } from '../app/deps.js';
import { remindersTotal } from '../app/metrics.js';
import { COMPLIANCE_CHANNEL } from '../app/notifications.js';
import { msg, type Msg } from '../i18n/index.js';
import { silentLogger, type JobLogger } from '../delivery/logger.js';
import { claim, claimKey, kindPrefix, lockedStatus, pastReminders } from './claims.js';
import { zoneOf } from './local-time.js';
import { ageLine, complianceStep, consentStep, daysUntilExpiry, submissionStep, type Due } from './policy.js';
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
  const pending = await deps.db
    .select({ consent: consents, timeZone: users.timeZone, name: users.name, transfer: transfers })
    .from(consents)
    .innerJoin(transfers, eq(transfers.id, consents.transferId))
    .innerJoin(users, eq(users.id, consents.userId))
    .where(and(isNull(consents.decision), eq(transfers.status, 'awaiting_consent')))
    .orderBy(asc(consents.id));
  const expireAfterMs = deps.config.consentExpireAfterMs;
  const expired = new Set<string>();
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
    const key = claimKey(c.transferId, `consent-${c.role}`, step.window);
    let escalatedTo: number[] = [];
    const outcome = await remind(deps, c.transferId, 'awaiting_consent', key, now, s, async (tx) => {
      const bumped = await tx
        .update(consents)
        .set({ remindersSent: step.number, lastRemindedAt: now })
        .where(
          and(eq(consents.id, c.id), eq(consents.remindersSent, step.number - 1), isNull(consents.decision)),
        )
        .returning({ id: consents.id });
      if (bumped.length === 0) return false;
      const lines: Msg[] = [ageLine(c.requestedAt, now)];
      const left = daysUntilExpiry(c.requestedAt, expireAfterMs, now);
      if (left !== null) lines.push(msg('reminders:consent.expiresIn', { count: left }));
      const params = { id: c.transferId, number: step.number, role: c.role };
      const entries: OutboxEntry[] = [
        {
          dedupeKey: `${key}:to:${c.userId}`,
          recipientUserId: c.userId,
          payload: {
            type: 'message',
            transferId: c.transferId,
            text: msg('reminders:consent.reminder', params),
            lines: [lines[0]!, msg('reminders:consent.howTo', { id: c.transferId }), ...lines.slice(1)],
          },
        },
      ];
      if (step.escalate) {
        const saId =
          c.role === 'transferee' ? transfer.destinationSmartAccountId : transfer.sourceSmartAccountId;
        const sa = (await smartAccountsByIds(tx, [saId])).get(saId);
        const account = sa ? `${sa.name} (${sa.domain})` : String(saId);
        escalatedTo = (await adminsOf(tx, saId)).map((u) => u.id).filter((id) => id !== c.userId);
        for (const adminId of escalatedTo) {
          entries.push({
            dedupeKey: `${key}:escalate:${adminId}`,
            recipientUserId: adminId,
            payload: {
              type: 'message',
              transferId: c.transferId,
              text: msg('reminders:consent.escalation', { ...params, name, account }),
              lines,
            },
          });
        }
      }
      await enqueue(tx, now, entries);
      await appendHistory(tx, [
        history(c.transferId, now, 'reminder.consent', { number: step.number, role: c.role, to: c.userId }),
        ...(escalatedTo.length > 0
          ? [
              history(c.transferId, now, 'reminder.escalation', {
                number: step.number,
                role: c.role,
                to: escalatedTo,
              }),
            ]
          : []),
      ]);
      return true;
    });
    if (outcome === 'skipped') {
      summary.skipped += 1;
      continue;
    }
    summary.consentReminders += 1;
    remindersTotal.inc({ kind: 'consent' });
    if (escalatedTo.length > 0) {
      summary.escalations += 1;
      remindersTotal.inc({ kind: 'escalation' });
    }
  }
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
