import { expireTransfer } from '../app/actions.js';
import type { AppDeps } from '../app/deps.js';
import { SYSTEM_ACTOR } from '../app/history-text.js';
import { remindersTotal } from '../app/metrics.js';
import { COMPLIANCE_CHANNEL } from '../app/notifications.js';
import type { Repositories } from '../app/ports/store.js';
import type { TransferRow } from '../app/ports/transfers.js';
import { isOutOfDate } from '../domain/types.js';
import { reminderTimeZone } from '../app/reader.js';
import { msg, type Msg } from '../i18n/index.js';
import { silentLogger, type JobLogger } from '../delivery/logger.js';
import { claimKey, kindPrefix } from './claims.js';
import { remindConsents, type DueConsent } from './consent-batch.js';
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

/**
 * One pass over everything that may need a reminder. Safe to run from any number of
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

/**
 * The zone each of these people is reminded in, read once a person a sweep: as their dates are shown to
 * them, the inventory's, else the one their chat platform said (stored), else TZ_DEFAULT (see
 * `reminderTimeZone`).
 */
async function reminderZones(
  deps: AppDeps,
  settings: ReminderSettings,
  userIds: Iterable<number>,
): Promise<(userId: number) => string> {
  const people = await deps.store.users.findUsersByIds([...new Set(userIds)]);
  const zones = new Map<number, string>();
  return (userId) => {
    let zone = zones.get(userId);
    if (zone === undefined) {
      zone = reminderTimeZone(people.get(userId), settings.tzDefault);
      zones.set(userId, zone);
    }
    return zone;
  };
}

/**
 * One claimed reminder, in one transaction: check the transfer is still where the reminder assumes (under
 * a share lock, so a decision arriving meanwhile waits), claim it, enqueue and record.
 */
async function remind(
  deps: AppDeps,
  transferId: string,
  expected: TransferRow['status'],
  key: string,
  now: Date,
  settings: ReminderSettings,
  work: (repos: Repositories) => Promise<void>,
): Promise<Outcome> {
  return deps.store.transaction(async (repos) => {
    if ((await repos.reminders.lockedStatus(transferId)) !== expected) return 'skipped';
    if (!(await repos.reminders.claim(key, now, settings.instanceId))) return 'skipped';
    await work(repos);
    return 'sent';
  });
}

async function consentSweep(
  deps: AppDeps,
  settings: ReminderSettings,
  now: Date,
  summary: SweepSummary,
  logger: JobLogger,
): Promise<void> {
  const pending = await deps.store.reminders.awaitedConsents('awaiting_consent');
  const zoneOf = await reminderZones(
    deps,
    settings,
    pending.map((p) => p.consent.userId),
  );
  const expireAfterMs = deps.config.consentExpireAfterMs;
  const expired = new Set<string>();
  const due: DueConsent[] = [];
  for (const { consent, name, transfer } of pending) {
    if (expired.has(consent.transferId)) continue;
    const step = consentStep(consent, zoneOf(consent.userId), settings, expireAfterMs, now);
    if (step.kind === 'wait') continue;
    if (step.kind === 'expire') {
      expired.add(consent.transferId);
      // The core decides and records the cancellation and tells everyone involved (status messages, card refresh).
      const result = await expireTransfer(
        { ...deps, now: () => now },
        consent.transferId,
        consent.requestedAt,
      );
      if (result.ok) {
        summary.expiries += 1;
        remindersTotal.inc({ kind: 'expiry' });
      } else {
        summary.skipped += 1;
        // Another instance sweeping the same window expired it first (or an answer came meanwhile): the
        // normal end of a race, not a warning.
        if (isOutOfDate(result.refusal))
          logger.debug(
            { transferId: consent.transferId, refusal: result.refusal.code },
            'consent expiry: the transfer had moved on',
          );
        else
          logger.warn(
            { transferId: consent.transferId, refusal: result.refusal.code },
            'consent expiry refused',
          );
      }
      continue;
    }
    due.push({
      consentId: consent.id,
      transferId: consent.transferId,
      role: consent.role,
      userId: consent.userId,
      name,
      requesterId: transfer.requesterId,
      requestedAt: consent.requestedAt,
      escalateTo:
        consent.role === 'transferee' ? transfer.destinationSmartAccountId : transfer.sourceSmartAccountId,
      number: step.number,
      escalate: step.escalate,
      window: step.window,
    });
  }
  // Expiries first, then every due reminder in batches: a transfer expired above has no reminder due.
  const done = await remindConsents(
    deps,
    settings,
    now,
    due.filter((d) => !expired.has(d.transferId)),
  );
  summary.consentReminders += done.sent;
  summary.escalations += done.escalations;
  summary.skipped += done.skipped;
}

/** A reminder about a transfer left too long in one status: when it is due, whom it goes to, what it says. */
interface IdleReminder {
  kind: 'submission' | 'compliance';
  status: 'pending_submission' | 'compliance_screening';
  counter: 'submissionReminders' | 'complianceReminders';
  /** No transfer changed more recently than this can be due: a first filter for the query. */
  idleAtLeastMs: number;
  /**
   * The person it reminds, whose clock it keeps (their zone: see `reminderZones`); none for a channel,
   * which keeps TZ_DEFAULT's.
   */
  personOf?: (transfer: TransferRow) => number;
  due: (transfer: TransferRow, past: PastReminders, zone: string) => Due | null;
  message: (
    transfer: TransferRow,
    due: Due,
  ) => { recipientUserId?: number; recipientChannel?: string; text: Msg; lines: Msg[] };
}

/** A request left in Pending Submission reminds its requester. */
const submissionReminder = (settings: ReminderSettings, now: Date): IdleReminder => ({
  kind: 'submission',
  status: 'pending_submission',
  counter: 'submissionReminders',
  idleAtLeastMs: settings.submissionIdleMs,
  personOf: (transfer) => transfer.requesterId,
  due: (transfer, past, zone) => submissionStep(transfer.updatedAt, past, zone, settings, now),
  message: (transfer, due) => ({
    recipientUserId: transfer.requesterId,
    text: msg('reminders:submission.reminder', { id: transfer.id, number: due.number }),
    lines: [ageLine(transfer.updatedAt, now), msg('reminders:submission.howTo', { id: transfer.id })],
  }),
});

/** Screening older than its SLA reminds the compliance channel, once per working day. */
const complianceReminder = (settings: ReminderSettings, now: Date): IdleReminder => ({
  kind: 'compliance',
  status: 'compliance_screening',
  counter: 'complianceReminders',
  // Working days are never shorter than calendar days: the SLA in calendar days is a safe first filter.
  idleAtLeastMs: settings.complianceSlaWorkingDays * DAY_MS,
  // Nothing else changes a transfer while it is screened: its last change is when screening began.
  due: (transfer, past, zone) => complianceStep(transfer.updatedAt, past, zone, settings, now),
  message: (transfer, due) => ({
    recipientChannel: COMPLIANCE_CHANNEL,
    text: msg('reminders:compliance.reminder', {
      id: transfer.id,
      number: due.number,
      count: settings.complianceSlaWorkingDays,
    }),
    lines: [ageLine(transfer.updatedAt, now), msg('reminders:compliance.howTo', { id: transfer.id })],
  }),
});

/** Every transfer idle in the reminder's status: each one due is claimed, enqueued and counted. */
async function idleSweep(
  deps: AppDeps,
  settings: ReminderSettings,
  now: Date,
  summary: SweepSummary,
  reminder: IdleReminder,
): Promise<void> {
  const idle = await deps.store.reminders.idleTransfers(
    reminder.status,
    new Date(now.getTime() - reminder.idleAtLeastMs),
  );
  const { personOf } = reminder;
  const zoneOf = personOf
    ? await reminderZones(
        deps,
        settings,
        idle.map(({ transfer }) => personOf(transfer)),
      )
    : () => settings.tzDefault;
  for (const { transfer } of idle) {
    const past = await deps.store.reminders.pastClaims(kindPrefix(transfer.id, reminder.kind));
    const due = reminder.due(transfer, past, personOf ? zoneOf(personOf(transfer)) : settings.tzDefault);
    if (!due) continue;
    const message = reminder.message(transfer, due);
    const key = claimKey(transfer.id, reminder.kind, due.window);
    const outcome = await remind(deps, transfer.id, reminder.status, key, now, settings, async (repos) => {
      await repos.outbox.enqueue(now, [
        {
          dedupeKey: `${key}:to`,
          recipientUserId: message.recipientUserId ?? null,
          recipientChannel: message.recipientChannel ?? null,
          payload: { type: 'message', transferId: transfer.id, text: message.text, lines: message.lines },
        },
      ]);
      await repos.transfers.appendHistory([
        history(transfer.id, now, `reminder.${reminder.kind}`, { number: due.number }),
      ]);
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
