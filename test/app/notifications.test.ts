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
