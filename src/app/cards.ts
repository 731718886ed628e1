import type { Msg } from '../domain/msg.js';
import type { TransferState } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import type { UserRow } from './ports/users.js';
import { loadTransfer, type TransferView } from './views.js';

/** `consent:transferee`, `consent:transferor` or `compliance`: the decision a card asks for. */
export type CardDecision = 'consent:transferee' | 'consent:transferor' | 'compliance';

export const CARD_DECISIONS: readonly CardDecision[] = [
  'consent:transferee',
  'consent:transferor',
  'compliance',
];

export function isCardDecision(value: string | undefined): value is CardDecision {
  return (CARD_DECISIONS as readonly (string | undefined)[]).includes(value);
}

/**
 * A decision card as every platform draws it: the facts of the transfer, and either live buttons
 * (while the decision is open) or who decided what and when (once taken, or once the transfer moved on).
 * Button action ids, which every platform's buttons use: `consent_approve`, `consent_reject`,
 * `compliance_approve`, `compliance_reject`, each carrying the transaction id.
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

const BUTTONS = {
  consent: { approve: 'consent_approve', reject: 'consent_reject' },
  compliance: { approve: 'compliance_approve', reject: 'compliance_reject' },
};

/** Whose consent a consent card asks for. */
const consentRole = (decision: Exclude<CardDecision, 'compliance'>) =>
  decision === 'consent:transferee' ? 'transferee' : 'transferor';

/** Whether a decision is still open; once it is not, who took it, when and why (nothing if nobody did). */
interface Taken {
  open: boolean;
  decision?: 'approved' | 'rejected' | null;
  by?: string | null;
  at?: Date | null;
  reason?: string | null;
}

function decisionTaken(state: TransferState, view: TransferView, decision: CardDecision): Taken {
  if (decision === 'compliance') return { open: state.status === 'compliance_screening', ...view.screening };
  const consent = state.consents.find((c) => c.role === consentRole(decision));
  return {
    open: state.status === 'awaiting_consent' && consent !== undefined && consent.decision === null,
    decision: consent?.decision,
    by: consent?.decidedByName,
    at: consent?.decidedAt,
    reason: consent?.reason,
  };
}

/** The card for a decision as it stands now, fresh from the database (rendered at delivery time, never stale). */
export async function buildDecisionCard(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<DecisionCardView | undefined> {
  const loaded = await loadTransfer(deps.store, transferId, null);
  if (!loaded) return undefined;
  const { state, view } = loaded;
  const taken = decisionTaken(state, view, decision);
  return {
    decision,
    transfer: view,
    open: taken.open,
    actions: taken.open ? { ...BUTTONS[decision === 'compliance' ? 'compliance' : 'consent'] } : null,
    outcome: taken.open
      ? null
      : {
          decision: taken.decision ?? null,
          by: taken.by ?? null,
          at: taken.at ?? null,
          reason: taken.reason ?? null,
          closedBecause: taken.decision ? null : view.cancelReason,
        },
  };
}

/** The person a consent card is for (to resolve their address at delivery). */
export async function consentUserId(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<number | null> {
  if (decision === 'compliance') return null;
  const loaded = await deps.store.transfers.loadState(transferId);
  return loaded?.state.consents.find((c) => c.role === consentRole(decision))?.userId ?? null;
}

/** Who decides a card: the people whose consent it asks for, or every compliance officer. */
export async function deciders(
  deps: Pick<AppDeps, 'store'>,
  transferId: string,
  decision: CardDecision,
): Promise<UserRow[]> {
  if (decision === 'compliance') return deps.store.users.usersWithGlobalRole('compliance');
  const loaded = await deps.store.transfers.loadState(transferId);
  const asked = loaded?.state.consents.filter((c) => c.role === consentRole(decision)) ?? [];
  const people = await deps.store.users.findUsersByIds(asked.map((c) => c.userId));
  return asked.flatMap((c) => people.get(c.userId) ?? []);
}
