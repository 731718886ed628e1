import { describe, expect, it } from 'vitest';
import {
  decideCancel,
  decideConsent,
  decideExecution,
  decideExpiry,
  decideRetry,
  decideScreen,
  decideSubmit,
  decideValidation,
  type Outcome,
} from '../../src/domain/decide.js';
import {
  canMove,
  canStillReach,
  isTerminal,
  STATUSES,
  TERMINAL_STATUSES,
  TRANSITIONS,
  type Status,
} from '../../src/domain/status.js';
import type { TransferState } from '../../src/domain/types.js';
import { eligible, ineligible, people, T0, transferIn } from './fixtures.js';

const DAY = 24 * 3600 * 1000;
const { alice, bob, cora, olga } = people;

/** Every command a transfer can receive, as its rightful actor would send it. */
const COMMANDS: Record<string, (t: TransferState) => Outcome> = {
  validate: (t) => decideValidation(t, [eligible(1)]),
  submit: (t) => decideSubmit(alice, t),
  cancel: (t) => decideCancel(alice, t, null),
  'consent approve': (t) => decideConsent(bob, t, 'approve', null),
  'consent reject': (t) => decideConsent(bob, t, 'reject', 'no budget this year'),
  'screen approve': (t) => decideScreen(cora, t, 'approve', null),
  'screen reject': (t) => decideScreen(cora, t, 'reject', 'denied party match'),
  execute: (t) => decideExecution(t, [eligible(1)]),
  retry: (t) => decideRetry(olga, t, [eligible(1)]),
  expire: (t) => decideExpiry(t, new Date(T0.getTime() + 31 * DAY), T0, 30 * DAY),
};

type Expected = Status[] | { refused: string; key: string };

const wrong = { refused: 'wrong_status', key: 'core:refusal.wrongStatus' };
const tooLate = { refused: 'wrong_status', key: 'core:refusal.cancelTooLate' };
const decided = { refused: 'already_decided', key: 'core:refusal.alreadyDecided' };

/** What each command does in each status (columns in STATUSES order); a list is the resulting chain of statuses. */
const TABLE: Record<string, Record<Status, Expected>> = {
  validate: row(wrong, { validation_initiated: ['validation_completed', 'pending_submission'] }),
  submit: row(wrong, { pending_submission: ['submitted', 'awaiting_consent'] }),
  cancel: row(tooLate, {
    validation_initiated: ['cancelled'],
    validation_completed: ['cancelled'],
    pending_submission: ['cancelled'],
  }),
  'consent approve': row(wrong, { awaiting_consent: ['compliance_screening'], ...afterConsent(decided) }),
  'consent reject': row(wrong, { awaiting_consent: ['cancelled'], ...afterConsent(decided) }),
  'screen approve': row(wrong, { compliance_screening: ['transfer_initiated'], ...afterScreening(decided) }),
  'screen reject': row(wrong, { compliance_screening: ['compliance_rejected'], ...afterScreening(decided) }),
  execute: row(wrong, { transfer_initiated: ['transfer_completed'] }),
  retry: row(wrong, { transfer_completed_with_failure: ['transfer_completed'] }),
  expire: row(wrong, { awaiting_consent: ['cancelled'] }),
};

function row(otherwise: Expected, cells: Partial<Record<Status, Expected>>): Record<Status, Expected> {
  return Object.fromEntries(STATUSES.map((s) => [s, cells[s] ?? otherwise])) as Record<Status, Expected>;
}

/** Once a consent is given, asking again is "already decided", whatever happened since. */
function afterConsent(e: Expected): Partial<Record<Status, Expected>> {
  const after: Status[] = [
    'compliance_screening',
    'compliance_rejected',
    'transfer_initiated',
    'transfer_completed',
    'transfer_completed_with_failure',
  ];
  return Object.fromEntries(after.map((s) => [s, e]));
}

function afterScreening(e: Expected): Partial<Record<Status, Expected>> {
  const after: Status[] = [
    'compliance_rejected',
    'transfer_initiated',
    'transfer_completed',
    'transfer_completed_with_failure',
  ];
  return Object.fromEntries(after.map((s) => [s, e]));
}

const cells = Object.entries(TABLE).flatMap(([command, byStatus]) =>
  STATUSES.map((status) => ({ command, status, expected: byStatus[status] })),
);

describe('state machine: every status × every command', () => {
  it.each(cells)('$command in $status', ({ command, status, expected }) => {
    const t = transferIn(status);
    const outcome = COMMANDS[command]!(t);
    if (Array.isArray(expected)) {
      expect(outcome.ok, outcome.ok ? '' : outcome.refusal.message.key).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.decision.steps.map((s) => s.to)).toEqual(expected);
      return;
    }
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect({ refused: outcome.refusal.code, key: outcome.refusal.message.key }).toEqual(expected);
    expect(outcome.refusal.message.params?.id).toBe(t.id);
    if (expected.key === wrong.key) expect(outcome.refusal.message.params?.status).toBe(status);
  });

  it('tells the loser of a decision who decided, what and when', () => {
    const consent = decideConsent(bob, transferIn('compliance_screening'), 'approve', null);
    expect(!consent.ok && consent.refusal.message.params).toEqual({
      id: 'AT-TEST0001',
      decision: 'approved',
      by: 'Bob',
      at: '2026-11-24T10:30:00.000Z',
    });
    const screen = decideScreen(cora, transferIn('compliance_rejected'), 'approve', null);
    expect(!screen.ok && screen.refusal.message.params).toMatchObject({ decision: 'rejected', by: 'Cora' });
  });

  it('names the action a wrong-status refusal was about, for the user-facing message', () => {
    const outcome = decideSubmit(alice, transferIn('awaiting_consent'));
    expect(!outcome.ok && outcome.refusal.message.params).toEqual({
      id: 'AT-TEST0001',
      status: 'awaiting_consent',
      action: 'submit',
    });
  });
});

describe('transition table', () => {
  it('never leaves a terminal status, except a completion with failure finally completing', () => {
    const exits = TERMINAL_STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => `${from} -> ${to}`));
    expect(exits).toEqual(['transfer_completed_with_failure -> transfer_completed']);
  });

  it('never returns to the start, and every open status has a way out', () => {
    for (const from of STATUSES) {
      expect(TRANSITIONS[from]).not.toContain('validation_initiated');
      if (!isTerminal(from)) expect(TRANSITIONS[from].length, from).toBeGreaterThan(0);
    }
  });

  it('reaches every status from the start', () => {
    const seen = new Set<Status>(['validation_initiated']);
    const queue: Status[] = ['validation_initiated'];
    for (let s = queue.shift(); s; s = queue.shift()) {
      for (const next of TRANSITIONS[s].filter((n) => !seen.has(n))) {
        seen.add(next);
        queue.push(next);
      }
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });

  it('every chain a decision produces starts at the current status and takes only legal steps', () => {
    const outcomes: { from: Status; outcome: Outcome }[] = [];
    for (const status of STATUSES) {
      for (const run of Object.values(COMMANDS))
        outcomes.push({ from: status, outcome: run(transferIn(status)) });
      const same = transferIn(status, { sameLegalEntity: true, transfereeId: null });
      outcomes.push({ from: status, outcome: decideSubmit(alice, same) });
      outcomes.push({ from: status, outcome: decideValidation(transferIn(status), [ineligible(1)]) });
      outcomes.push({ from: status, outcome: decideExecution(transferIn(status), [ineligible(1)]) });
    }
    const decisions = outcomes.filter((o) => o.outcome.ok);
    expect(decisions.length).toBeGreaterThanOrEqual(15);
    for (const { from, outcome } of decisions) {
      if (!outcome.ok) continue;
      let current = from;
      for (const step of outcome.decision.steps) {
        expect(step.from).toBe(current);
        expect(canMove(step.from, step.to), `${step.from} -> ${step.to}`).toBe(true);
        current = step.to;
      }
    }
  });
});

describe('what a status can still come to', () => {
  it('a transfer reaches Transfer Completed from any open status and a partial failure, never once ended without moving', () => {
    const reaches = STATUSES.filter((status) => canStillReach(status, 'transfer_completed'));
    expect(reaches).toEqual(STATUSES.filter((s) => !['compliance_rejected', 'cancelled'].includes(s)));
    expect(canStillReach('cancelled', 'cancelled')).toBe(true);
  });
});
