import type { Decision } from '../domain/decide.js';
import { msg } from '../domain/msg.js';
import { itemLines } from './history-items.js';
import type { OutboxEntry } from './ports/outbox.js';
import type { Repositories } from './ports/store.js';
import type { TransferState } from '../domain/types.js';

/**
 * A transfer that has just ended as Transfer Completed with Failure (the transfer itself, never a retry
 * that leaves it there): every person holding `licensing_ops`, whose job a retry is (SPEC §2), gets one
 * direct message saying which transaction, from where to where, how many items failed (the first ones by
 * reference, with why), and the command to retry it. Keyed by transfer and person, not by version: a
 * change replayed, or run by another instance, never tells anyone twice.
 */
export async function licensingOpsNotices(
  repos: Repositories,
  state: TransferState,
  decision: Decision,
): Promise<OutboxEntry[]> {
  if (!decision.steps.some((s) => s.to === 'transfer_completed_with_failure')) return [];
  const failed = (decision.items ?? []).filter((i) => i.result === 'failed').length;
  const [people, accounts] = await Promise.all([
    repos.users.usersWithGlobalRole('licensing_ops'),
    repos.accounts.smartAccountsByIds([state.sourceSmartAccountId, state.destinationSmartAccountId]),
  ]);
  if (people.length === 0) return [];
  const domain = (id: number) => accounts.get(id)?.domain ?? String(id);
  const text = msg('core:notify.opsFailed', {
    id: state.id,
    source: domain(state.sourceSmartAccountId),
    destination: domain(state.destinationSmartAccountId),
    count: failed,
  });
  const lines = [...(decision.note ? [decision.note] : []), ...itemLines(decision)];
  return people.map((person) => ({
    dedupeKey: `${state.id}:licensing_ops_failed:${person.id}`,
    recipientUserId: person.id,
    payload: { type: 'message', transferId: state.id, text, lines },
  }));
}
