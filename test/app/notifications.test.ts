import { describe, expect, it } from 'vitest';
import { notificationsFor, type NotifyInput } from '../../src/app/notifications.js';
import type { Decision } from '../../src/domain/decide.js';
import { msg } from '../../src/i18n/msg.js';

const note = msg('core:retry.outcome', { count: 2, moved: 1, failed: 1 });

const input = (decision: Decision): NotifyInput => ({
  transferId: 'AT-RETRY001',
  version: 7,
  actorUserId: 9,
  requesterId: 1,
  consenterIds: [{ role: 'transferee', userId: 2 }],
  finalStatus: 'transfer_completed_with_failure',
  decision,
  failedItems: 1,
});

const retry = (results: ('transferred' | 'failed')[]): Decision => ({
  action: 'retry',
  steps: [],
  items: results.map((result, i) => ({ itemId: i + 1, result })),
  note,
});

/** Who is told what when licensing operations retry a transfer's failed items. */
describe('messages after a retry that leaves the status as it was', () => {
  it('tells the requester what moved when some items did, and redraws the decision cards posted', () => {
    expect(notificationsFor(input(retry(['transferred', 'failed'])))).toEqual([
      {
        dedupeKey: 'AT-RETRY001:v7:retried:1',
        recipientUserId: 1,
        payload: {
          type: 'message',
          transferId: 'AT-RETRY001',
          text: msg('core:notify.retried', { id: 'AT-RETRY001' }),
          lines: [note],
        },
      },
      // The cards show the items' results: those that moved now read Transferred.
      {
        dedupeKey: 'AT-RETRY001:v7:card_refresh',
        payload: { type: 'card_refresh', transferId: 'AT-RETRY001' },
      },
    ]);
  });

  it('tells nobody when nothing moved: nothing changed for them', () => {
    expect(notificationsFor(input(retry(['failed', 'failed'])))).toEqual([]);
  });
});

/** The admins a reminder escalated to, asked to follow up on one role's consent, and what settles it. */
describe('messages to the admins asked to follow up on a consent', () => {
  const awaiting = (
    decision: Decision,
    answeredBefore: ('transferee' | 'transferor')[] = [],
  ): NotifyInput => ({
    transferId: 'AT-FOLLOW01',
    version: 4,
    actorUserId: 1,
    actorName: 'Paul Partner',
    requesterId: 1,
    consenterIds: [
      { role: 'transferee', userId: 2 },
      { role: 'transferor', userId: 3 },
    ],
    finalStatus: decision.steps.at(-1)?.to ?? 'awaiting_consent',
    decision,
    failedItems: 0,
    // Admins 5 and 6 were asked to chase the transferee, 7 the transferor; the requester (1) was too.
    escalated: [
      { role: 'transferee', userIds: [5, 6, 1], heldUntil: new Map() },
      { role: 'transferor', userIds: [7], heldUntil: new Map() },
      { role: 'transferee', userIds: [5], heldUntil: new Map() },
    ],
    answeredBefore,
  });
  const followUps = (input: NotifyInput) =>
    notificationsFor(input).filter((e) => e.payload.text?.key.startsWith('core:notify.followUp'));
  const byRequester = msg('core:cancel.byRequester', { name: 'Paul Partner' });
  const cancelled: Decision = {
    action: 'cancel',
    steps: [{ from: 'awaiting_consent', to: 'cancelled', reason: byRequester }],
    cancelReason: byRequester,
  };

  it('tells those whose consent is still awaited, once each, that the transfer was cancelled', () => {
    // The transferor answered earlier: the admin asked to chase them was told then.
    const text = msg('core:notify.followUpEnded', { id: 'AT-FOLLOW01', status: 'cancelled' });
    const lines = [msg('core:notify.step', { from: 'awaiting_consent', to: 'cancelled' }), byRequester];
    expect(followUps(awaiting(cancelled, ['transferor']))).toEqual(
      [5, 6].map((userId) => ({
        dedupeKey: `AT-FOLLOW01:followUp:end:${userId}`,
        recipientUserId: userId,
        payload: { type: 'message', transferId: 'AT-FOLLOW01', text, lines },
      })),
    );
  });

  it('tells those asked to chase a consent who gave it, and no one else', () => {
    const approved: Decision = {
      action: 'consent.approve',
      steps: [],
      consent: { role: 'transferor', decision: 'approved', reason: null },
    };
    const input = { ...awaiting(approved), actorUserId: 3, actorName: 'Carol Durand' };
    expect(followUps(input)).toEqual([
      {
        dedupeKey: 'AT-FOLLOW01:followUp:transferor:7',
        recipientUserId: 7,
        payload: {
          type: 'message',
          transferId: 'AT-FOLLOW01',
          text: msg('core:notify.followUpApproved', {
            id: 'AT-FOLLOW01',
            name: 'Carol Durand',
            role: 'transferor',
          }),
          lines: [],
        },
      },
    ]);
  });
});
