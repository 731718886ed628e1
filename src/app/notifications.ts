import type { OutboxEntry } from './ports/outbox.js';
import type { Decision } from '../domain/decide.js';
import type { Status } from '../domain/status.js';
import { msg, type Msg } from '../i18n/msg.js';

export const COMPLIANCE_CHANNEL = 'compliance';

export interface NotifyInput {
  transferId: string;
  /** The version the change produced: with the transfer id, it makes every message's dedupe key unique. */
  version: number;
  actorUserId: number | null;
  requesterId: number;
  /** Everyone asked to consent (transferee, and transferor on a partner's request). */
  consenterIds: { role: string; userId: number }[];
  finalStatus: Status;
  decision: Decision;
  failedItems: number;
}

const DECISION_STATUSES: readonly Status[] = ['awaiting_consent', 'compliance_screening'];

/**
 * What a change must tell whom (SPEC §4.6): every status change to the requester, and from the consent
 * stage on to the consenters; decision cards to the people who decide; a refresh of every posted card
 * once its decision is taken, so no stale button stays live.
 */
export function notificationsFor(n: NotifyInput): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const key = (suffix: string) => `${n.transferId}:v${n.version}:${suffix}`;
  const { steps } = n.decision;

  if (steps.length > 0) {
    const lines: Msg[] = steps.map((s) => msg('core:notify.step', { from: s.from, to: s.to }));
    for (const s of steps) if (s.reason) lines.push(s.reason);
    if (n.failedItems > 0) lines.push(msg('core:notify.failedItems', { count: n.failedItems }));
    const text = msg('core:notify.statusChanged', { id: n.transferId, status: n.finalStatus });
    const recipients = new Set<number>([n.requesterId]);
    for (const c of n.consenterIds) if (c.userId !== n.actorUserId) recipients.add(c.userId);
    for (const userId of recipients) {
      entries.push({
        dedupeKey: key(`status:${userId}`),
        recipientUserId: userId,
        payload: { type: 'message', transferId: n.transferId, text, lines },
      });
    }
  }

  for (const role of n.decision.requestConsents ?? []) {
    const consenter = n.consenterIds.find((c) => c.role === role);
    if (!consenter) continue;
    entries.push({
      dedupeKey: key(`card:consent:${role}`),
      recipientUserId: consenter.userId,
      payload: { type: 'card', transferId: n.transferId, decision: `consent:${role}` },
    });
  }

  if (steps.some((s) => s.to === 'compliance_screening')) {
    entries.push({
      dedupeKey: key('card:compliance'),
      recipientChannel: COMPLIANCE_CHANNEL,
      payload: { type: 'card', transferId: n.transferId, decision: 'compliance' },
    });
  }

  const decided = n.decision.consent !== undefined || n.decision.screening !== undefined;
  const leftDecisionStage = steps.some((s) => DECISION_STATUSES.includes(s.from));
  if (decided || leftDecisionStage) {
    entries.push({
      dedupeKey: key('card_refresh'),
      payload: { type: 'card_refresh', transferId: n.transferId },
    });
  }
  return entries;
}
