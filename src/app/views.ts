import type { Msg } from '../domain/msg.js';
import type { TransferAction } from '../domain/permissions.js';
import { canStillReach, type Status } from '../domain/status.js';
import type { ItemFacts, ItemRow, TransferRow } from './ports/transfers.js';

/**
 * One view model, several renderers: the core describes a transfer for one viewer — including the
 * actions that viewer may take — and Slack, Teams, the console and the export draw it.
 */
export interface PersonView {
  id: number;
  name: string;
  email: string;
}

export interface AccountView {
  domain: string;
  name: string;
  /** The legal entity the inventory records the account under, by name; null when it records none. */
  legalEntity: string | null;
}

/** An item as every surface shows it. */
export type ItemView = Pick<
  ItemRow,
  | 'id'
  | 'ref'
  | 'kind'
  | 'licenseId'
  | 'deviceId'
  | 'pid'
  | 'quantity'
  | 'description'
  | 'result'
  | 'reason'
  | 'warnings'
  | 'movedAt'
  | 'lastFailure'
> & {
  /** The asset as the inventory records it now (see ItemFacts); in chat, null past ITEMS_DESCRIBED items. */
  facts: ItemFacts | null;
};

export type { ItemFacts } from './ports/transfers.js';

export interface HistoryView {
  at: Date;
  actor: string;
  surface: string;
  action: string;
  from: Status | null;
  to: Status | null;
  reason: string | null;
  reasonMsg: Msg | null;
  /** What the step recorded beside its reason (a reminder's number, a delivery's recipient). */
  details: Record<string, unknown> | null;
}

export interface ConsentView {
  role: 'transferee' | 'transferor';
  person: PersonView;
  decision: 'approved' | 'rejected' | null;
  decidedBy: string | null;
  /** Who answered: the person asked, or, where the first to answer decides for all, another one asked. */
  decidedByPerson: PersonView | null;
  decidedAt: Date | null;
  reason: string | null;
  requestedAt?: Date;
  /** Whether the person asked still holds the role the consent takes (while it is awaited, they may answer). */
  mayAnswer: boolean;
}

/**
 * The consents as people read them, for every surface that tells them. Where every eligible transferor
 * was asked, the first to answer decides for all: the answer is told once, under the one who gave it (the
 * first asked, should they be none of those asked), and nobody else asked is said to have consented.
 * Consents nobody has answered yet stay listed, one per person asked.
 */
export function consentsAsTold<
  C extends Pick<ConsentView, 'role' | 'decision' | 'person' | 'decidedByPerson'>,
>(consents: readonly C[]): C[] {
  return consents.filter((consent) => {
    const decider = consent.decidedByPerson?.id;
    if (consent.decision === null || decider === undefined) return true;
    const sameAnswer = consents.filter((c) => c.role === consent.role && c.decidedByPerson?.id === decider);
    return (sameAnswer.find((c) => c.person.id === decider) ?? sameAnswer[0]) === consent;
  });
}

export interface TransferView {
  id: string;
  status: Status;
  source: AccountView;
  sourceVirtualAccount: string | null;
  destination: AccountView;
  destinationVirtualAccount: string;
  sameLegalEntity: boolean;
  requestedByPartner: boolean;
  requester: PersonView;
  transferee: PersonView | null;
  /**
   * The transferor a partner named on the request, while nobody has been asked as transferor yet (from
   * submission on, the consents say who is asked and who answered); null otherwise.
   */
  namedTransferor: PersonView | null;
  justification: string | null;
  transfereeLegalName: string | null;
  transfereeAddress: string | null;
  /** Who accepted the terms and conditions on the request form (the requester), and when; null if not asked. */
  termsAccepted: { by: PersonView; at: Date } | null;
  createdAt: Date;
  submittedAt: Date | null;
  completedAt: Date | null;
  /** No completion date yet, and one can still come (see `completionPending`). */
  completionPending: boolean;
  consents: ConsentView[];
  screening: {
    by: string | null;
    /** Who screened, as the user records have them now (null when the record is gone). */
    byPerson: PersonView | null;
    at: Date;
    decision: 'approved' | 'rejected';
    reason: string | null;
  } | null;
  cancelReason: Msg | null;
  items: ItemView[];
  history: HistoryView[];
  /** What this viewer may do now; empty for a system view. */
  actions: TransferAction[];
}

/** What compliance decided, once a transfer was screened: a rejection ends it in Compliance Screening Rejected. */
export function screeningDecision(status: Status): 'approved' | 'rejected' {
  return status === 'compliance_rejected' ? 'rejected' : 'approved';
}

/**
 * Whether a transfer without a completion date may still get one: it can still reach Transfer Completed
 * (a retry of a transfer whose every item failed can). One that ended without moving (cancelled, compliance
 * rejected) never will: every surface then shows no date rather than "Not yet".
 */
export function completionPending(row: { status: Status; completedAt: Date | null }): boolean {
  return row.completedAt === null && canStillReach(row.status, 'transfer_completed');
}

/** The transferor a partner named, while nobody has been asked as transferor yet; see `TransferView`. */
export function namedTransferorOf(
  row: Pick<TransferRow, 'transferorId'>,
  consents: readonly { role: string }[],
  person: (userId: number) => PersonView,
): PersonView | null {
  return row.transferorId !== null && !consents.some((c) => c.role === 'transferor')
    ? person(row.transferorId)
    : null;
}

/** A person as views show them, by id: their name and e-mail, or the id when they are gone. */
export function personOf(
  people: Map<number, { name: string; email: string }>,
): (userId: number) => PersonView {
  return (userId) => {
    const found = people.get(userId);
    return { id: userId, name: found?.name ?? String(userId), email: found?.email ?? '' };
  };
}

/** The Virtual Accounts transfers name: each one's destination, and its source when it has one. */
export function transferVirtualAccountIds(
  rows: readonly Pick<TransferRow, 'sourceVirtualAccountId' | 'destinationVirtualAccountId'>[],
): number[] {
  return rows.flatMap((row) => [
    row.destinationVirtualAccountId,
    ...(row.sourceVirtualAccountId !== null ? [row.sourceVirtualAccountId] : []),
  ]);
}

/** An item as shown; with its asset's facts when they were read, what its asset is and is searched by. */
export function toItemView(item: ItemRow, facts: ItemFacts | null = null): ItemView {
  return {
    id: item.id,
    ref: item.ref,
    kind: item.kind,
    licenseId: item.licenseId,
    deviceId: item.deviceId,
    pid: item.pid,
    quantity: item.quantity,
    description: item.description,
    result: item.result,
    reason: item.reason,
    warnings: item.warnings,
    movedAt: item.movedAt,
    lastFailure: item.lastFailure,
    facts,
  };
}
