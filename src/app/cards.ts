import type { Q } from '../../db/client.js';
import { loadTransferState } from '../../db/transfers-repo.js';
import { findUser } from '../../db/users-repo.js';
import type { Msg } from '../i18n/msg.js';
import { loadTransferView, type TransferView } from './views.js';

/** `consent:transferee`, `consent:transferor` or `compliance`: the decision a card asks for. */
export type CardDecision = 'consent:transferee' | 'consent:transferor' | 'compliance';

export const CARD_DECISIONS: readonly CardDecision[] = ['consent:transferee', 'consent:transferor', 'compliance'];

export function isCardDecision(value: string | undefined): value is CardDecision {
  return (CARD_DECISIONS as readonly (string | undefined)[]).includes(value);
}

/**
 * A decision card as every platform draws it: the facts of the transfer, and either live buttons
 * (while the decision is open) or who decided what and when (once taken, or once the transfer moved on).
 * Button action ids (INTERFACES §5/§6): `consent_approve`, `consent_reject`, `compliance_approve`,
 * `compliance_reject`, each carrying the transaction id.
 */
export interface DecisionCardView {
  decision: CardDecision;
  transfer: TransferView;
  /** Live buttons, or none once decided. */
  open: boolean;
  actions: { approve: string; reject: string } | null;
  outcome: {
    decision: 'approved' | 'rejected' | null;
    by: string | null;
    at: Date | null;
    reason: string | null;
    /** When the card closed without this decision (cancelled, expired): why. */
    closedBecause: Msg | null;
  } | null;
}

/** The card for a decision as it stands now, fresh from the database (rendered at delivery time, never stale). */
export async function buildDecisionCard(q: Q, transferId: string, decision: CardDecision): Promise<DecisionCardView | undefined> {
  const loaded = await loadTransferState(q, transferId);
  const view = await loadTransferView(q, transferId, null);
  if (!loaded || !view) return undefined;
  const { state } = loaded;
  if (decision === 'compliance') {
    const open = state.status === 'compliance_screening';
    return {
      decision,
      transfer: view,
      open,
      actions: open ? { approve: 'compliance_approve', reject: 'compliance_reject' } : null,
      outcome: open
        ? null
        : {
            decision: view.screening?.decision ?? null,
            by: view.screening?.by ?? null,
            at: view.screening?.at ?? null,
            reason: view.screening?.reason ?? null,
            closedBecause: view.screening ? null : view.cancelReason,
          },
    };
  }
  const role = decision === 'consent:transferee' ? 'transferee' : 'transferor';
  const consent = state.consents.find((c) => c.role === role);
  const open = state.status === 'awaiting_consent' && consent !== undefined && consent.decision === null;
  return {
    decision,
    transfer: view,
    open,
    actions: open ? { approve: 'consent_approve', reject: 'consent_reject' } : null,
    outcome: open
      ? null
      : {
          decision: consent?.decision ?? null,
          by: consent?.decidedByName ?? null,
          at: consent?.decidedAt ?? null,
          reason: consent?.reason ?? null,
          closedBecause: consent?.decision ? null : view.cancelReason,
        },
  };
}

/** The person a consent card is for (to resolve their address at delivery). */
export async function consentUserId(q: Q, transferId: string, decision: CardDecision): Promise<number | null> {
  if (decision === 'compliance') return null;
  const loaded = await loadTransferState(q, transferId);
  const role = decision === 'consent:transferee' ? 'transferee' : 'transferor';
  return loaded?.state.consents.find((c) => c.role === role)?.userId ?? null;
}

export { findUser };
