import { describe, expect, it } from 'vitest';
import {
  decideConsent,
  decideExecution,
  decideExpiry,
  decideRetry,
  decideScreen,
  decideSubmit,
  decideValidation,
} from '../../src/domain/decide.js';
import { repeatsOwnDecision } from '../../src/domain/permissions.js';
import { consentOf, eligible, ineligible, people, T0, transferIn } from './fixtures.js';
import { msg } from '../../src/i18n/index.js';

/** The choices a decision makes inside one cell of the status × command table (state-machine.test.ts). */
const DAY = 24 * 3600 * 1000;
const { alice, bob, cora, olga } = people;

describe('state machine: the branches inside a cell', () => {
  it('validation drops ineligible items with their reason and keeps warnings on the rest', () => {
    const inUse = msg('eligibility:warning.inUse', { count: 4 });
    const outcome = decideValidation(transferIn('validation_initiated'), [
      eligible(1, [inUse]),
      ineligible(2),
    ]);
    expect(outcome.ok && outcome.decision.items).toEqual([
      { itemId: 1, result: 'pending', warnings: [inUse] },
      { itemId: 2, result: 'excluded', reason: { key: 'eligibility:reason.pendingUpgrade' } },
    ]);
  });

  it('validation cancels when nothing is left, saying why', () => {
    const outcome = decideValidation(transferIn('validation_initiated'), [ineligible(1), ineligible(2)]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.decision.steps.map((s) => s.to)).toEqual(['cancelled']);
    expect(outcome.decision.cancelReason).toEqual({ key: 'core:cancel.nothingEligible' });
    expect(outcome.decision.steps[0]?.reason).toEqual({ key: 'core:cancel.nothingEligible' });
  });

  it('submit between sites of one company goes straight to the transfer', () => {
    const t = transferIn('pending_submission', { sameLegalEntity: true, transfereeId: null });
    const outcome = decideSubmit(alice, t);
    expect(outcome.ok && outcome.decision.steps.map((s) => s.to)).toEqual([
      'submitted',
      'transfer_initiated',
    ]);
    expect(outcome.ok && outcome.decision.execute).toBe(true);
    expect(outcome.ok && outcome.decision.requestConsents).toBeUndefined();
  });

  it('submit asks the transferee, and the transferor too on a partner request', () => {
    const own = decideSubmit(alice, transferIn('pending_submission'));
    expect(own.ok && own.decision.requestConsents).toEqual(['transferee']);
    const partner = decideSubmit(
      people.paul,
      transferIn('pending_submission', { requesterId: people.paul.userId, requestedByPartner: true }),
    );
    expect(partner.ok && partner.decision.requestConsents).toEqual(['transferee', 'transferor']);
    expect(partner.ok && partner.decision.execute).toBeUndefined();
  });

  it('one approval of two leaves the transfer waiting; the last one moves it to screening', () => {
    const pending = transferIn('awaiting_consent', {
      requesterId: people.paul.userId,
      requestedByPartner: true,
      consents: [
        {
          role: 'transferee',
          userId: bob.userId,
          decision: null,
          decidedById: null,
          decidedByName: null,
          decidedAt: null,
          reason: null,
          mayAnswer: true,
          cannotAnswerSince: null,
          remindersSent: 0,
        },
        {
          role: 'transferor',
          userId: people.carol.userId,
          decision: null,
          decidedById: null,
          decidedByName: null,
          decidedAt: null,
          reason: null,
          mayAnswer: true,
          cannotAnswerSince: null,
          remindersSent: 0,
        },
      ],
    });
    const first = decideConsent(bob, pending, 'approve', null);
    expect(first.ok && first.decision.steps).toEqual([]);
    expect(first.ok && first.decision.consent).toEqual({
      role: 'transferee',
      decision: 'approved',
      reason: null,
    });

    const oneApproved = {
      ...pending,
      consents: pending.consents.map((c) =>
        c.role === 'transferee' ? { ...c, decision: 'approved' as const } : c,
      ),
    };
    const last = decideConsent(people.carol, oneApproved, 'approve', null);
    expect(last.ok && last.decision.steps.map((s) => s.to)).toEqual(['compliance_screening']);
    expect(last.ok && last.decision.consent?.role).toBe('transferor');
  });

  it('knows a repeat of one’s own decision (a double click, a click taken up again after a restart) from another’s', () => {
    const screening = transferIn('compliance_screening');
    expect(repeatsOwnDecision(people.bob, screening, 'consent', 'approve')).toBe(true);
    // Not the same choice, not the same person: those are told who decided what.
    expect(repeatsOwnDecision(people.bob, screening, 'consent', 'reject')).toBe(false);
    expect(repeatsOwnDecision(people.carol, screening, 'consent', 'approve')).toBe(false);
    // A transferor's consent given for all by another one asked is not theirs to repeat.
    const forAll = transferIn('awaiting_consent', {
      consents: [
        { ...consentOf('transferor', people.alice.userId, 'approved'), decidedById: people.carol.userId },
        consentOf('transferee', people.bob.userId),
      ],
    });
    expect(repeatsOwnDecision(people.alice, forAll, 'consent', 'approve')).toBe(false);
    const completed = transferIn('transfer_completed');
    expect(repeatsOwnDecision(people.cora, completed, 'screen', 'approve')).toBe(true);
    expect(repeatsOwnDecision(people.cora, completed, 'screen', 'reject')).toBe(false);
    expect(repeatsOwnDecision(people.olga, completed, 'screen', 'approve')).toBe(false);
    const rejected = transferIn('compliance_rejected');
    expect(repeatsOwnDecision(people.cora, rejected, 'screen', 'reject')).toBe(true);
  });

  it('a second click after rejecting is told it was already rejected, not that the status is wrong', () => {
    const rejected = transferIn('cancelled', { consents: [consentOf('transferee', bob.userId, 'rejected')] });
    const again = decideConsent(bob, rejected, 'approve', null);
    expect(!again.ok && again.refusal.message).toMatchObject({
      key: 'core:refusal.alreadyDecided',
      params: { decision: 'rejected', by: 'Bob' },
    });
  });

  it('an expired consent, never given, cannot be given after the cancellation', () => {
    const expired = transferIn('cancelled', { consents: [consentOf('transferee', bob.userId)] });
    const late = decideConsent(bob, expired, 'approve', null);
    expect(!late.ok && late.refusal.message.key).toBe('core:refusal.wrongStatus');
  });

  it('a consent rejection cancels with who rejected, as what, and why', () => {
    const outcome = decideConsent(bob, transferIn('awaiting_consent'), 'reject', 'no budget this year');
    expect(outcome.ok && outcome.decision.cancelReason).toEqual({
      key: 'core:cancel.consentRejected',
      params: { name: 'Bob', role: 'transferee', reason: 'no budget this year' },
    });
  });

  it('compliance cannot reject without a reason', () => {
    for (const reason of [null, '', '   ']) {
      const outcome = decideScreen(cora, transferIn('compliance_screening'), 'reject', reason);
      expect(!outcome.ok && outcome.refusal.code).toBe('invalid');
      expect(!outcome.ok && outcome.refusal.message.key).toBe('core:refusal.reasonRequired');
    }
  });

  it('screening approval runs the transfer in the same step', () => {
    const outcome = decideScreen(cora, transferIn('compliance_screening'), 'approve', null);
    expect(outcome.ok && outcome.decision.execute).toBe(true);
  });

  it('the transfer completes with failure when an item changed, naming each failure', () => {
    const outcome = decideExecution(transferIn('transfer_initiated'), [
      eligible(1),
      ineligible(2, 'eligibility:reason.gone'),
    ]);
    expect(outcome.ok && outcome.decision.steps.map((s) => s.to)).toEqual([
      'transfer_completed_with_failure',
    ]);
    expect(outcome.ok && outcome.decision.items).toEqual([
      { itemId: 1, result: 'transferred' },
      { itemId: 2, result: 'failed', reason: { key: 'eligibility:reason.gone' } },
    ]);
  });

  it('a retry that still fails moves what it can and leaves the status alone', () => {
    const outcome = decideRetry(olga, transferIn('transfer_completed_with_failure'), [
      eligible(1),
      ineligible(2),
    ]);
    expect(outcome.ok && outcome.decision.steps).toEqual([]);
    expect(outcome.ok && outcome.decision.items?.map((i) => i.result)).toEqual(['transferred', 'failed']);
  });

  it('a retry with no failed item is refused', () => {
    const outcome = decideRetry(olga, transferIn('transfer_completed_with_failure'), []);
    expect(!outcome.ok && outcome.refusal.message.key).toBe('core:refusal.nothingToRetry');
  });

  it('consent expires exactly at the deadline, not before, and never when the limit is 0', () => {
    const t = transferIn('awaiting_consent');
    const at = (ms: number) => new Date(T0.getTime() + ms);
    const early = decideExpiry(t, at(30 * DAY - 1), T0, 30 * DAY);
    expect(!early.ok && early.refusal.message.key).toBe('core:refusal.notDue');
    const due = decideExpiry(t, at(30 * DAY), T0, 30 * DAY);
    expect(due.ok && due.decision.cancelReason).toEqual({ key: 'core:cancel.consentExpired' });
    const never = decideExpiry(t, at(3650 * DAY), T0, 0);
    expect(!never.ok && never.refusal.message.key).toBe('core:refusal.notDue');
  });
});
