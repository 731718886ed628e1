import type { Eligibility, EligibilityContext } from '../../src/domain/eligibility.js';
import type { MessageKey, Msg } from '../../src/domain/msg.js';
import type { Status } from '../../src/domain/status.js';
import type {
  Actor,
  ConsentState,
  DeviceAsset,
  GlobalRole,
  LicenseAsset,
  TransferState,
} from '../../src/domain/types.js';

/**
 * Hand-built actors and transfers for the pure domain tests: no database, so every field a decision
 * reads is visible here. Smart Account 1 (fr-a) and 2 (fr-b) belong to legal entity `fr`; 3 (be) to `be`.
 */
export const SA = { frA: 1, frB: 2, be: 3 } as const;

function person(
  userId: number,
  name: string,
  legalEntityId: string | null,
  adminOf: number[],
  globalRoles: GlobalRole[] = [],
): Actor {
  return {
    userId,
    email: `${name.toLowerCase()}@example.test`,
    name,
    legalEntityId,
    adminOf: new Set(adminOf),
    globalRoles: new Set(globalRoles),
    surface: 'console',
  };
}

export const people = {
  /** Requester: admin of both sides. */
  alice: person(1, 'Alice', 'fr', [SA.frA, SA.frB, SA.be]),
  /** Transferee: admin of the destination only. */
  bob: person(2, 'Bob', 'be', [SA.be]),
  /** Another admin of the source, from the source's company: named transferor on a partner's request. */
  carol: person(3, 'Carol', 'fr', [SA.frA]),
  /** A partner administering both sides. */
  paul: person(4, 'Paul', 'partner', [SA.frA, SA.be]),
  cora: person(5, 'Cora', 'vendor', [], ['compliance']),
  olga: person(6, 'Olga', 'vendor', [], ['licensing_ops']),
  eve: person(7, 'Eve', 'partner', []),
  /** Admin of an unrelated Smart Account. */
  dave: person(8, 'Dave', 'fr', [99]),
};

export const T0 = new Date('2026-11-23T08:00:00Z');

function consent(
  role: ConsentState['role'],
  userId: number,
  decision: ConsentState['decision'] = null,
): ConsentState {
  const decider = Object.values(people).find((p) => p.userId === userId);
  return {
    role,
    userId,
    decision,
    decidedById: decision ? userId : null,
    decidedByName: decision ? (decider?.name ?? null) : null,
    decidedAt: decision ? new Date('2026-11-24T10:30:00Z') : null,
    reason: decision === 'rejected' ? 'no budget' : null,
    mayAnswer: true,
    cannotAnswerSince: null,
    remindersSent: 0,
  };
}

const BEFORE_CONSENT: readonly Status[] = [
  'validation_initiated',
  'validation_completed',
  'pending_submission',
  'submitted',
];
const SCREENED: readonly Status[] = [
  'compliance_rejected',
  'transfer_initiated',
  'transfer_completed',
  'transfer_completed_with_failure',
];

/**
 * A transfer from fr-a to be (another legal entity) requested by Alice, as it stands in `status` on
 * the usual path: consents exist from `awaiting_consent` on, screening is recorded from its decision on.
 * `cancelled` is a cancellation before submission unless overridden.
 */
export function transferIn(status: Status, overrides: Partial<TransferState> = {}): TransferState {
  let consents: ConsentState[] = [];
  if (status === 'awaiting_consent') consents = [consent('transferee', people.bob.userId)];
  else if (!BEFORE_CONSENT.includes(status) && status !== 'cancelled') {
    consents = [consent('transferee', people.bob.userId, 'approved')];
  }
  const screened = SCREENED.includes(status);
  return {
    id: 'AT-TEST0001',
    status,
    version: 3,
    requesterId: people.alice.userId,
    sourceSmartAccountId: SA.frA,
    sourceVirtualAccountId: null,
    destinationSmartAccountId: SA.be,
    destinationVirtualAccountId: 30,
    sameLegalEntity: false,
    requestedByPartner: false,
    transfereeId: people.bob.userId,
    consents,
    screenedById: screened ? people.cora.userId : null,
    screenedByName: screened ? people.cora.name : null,
    screenedAt: screened ? new Date('2026-11-25T14:05:00Z') : null,
    createdAt: T0,
    updatedAt: T0,
    completedAt: null,
    ...overrides,
  };
}

/** The same between two sites of one company: no transferee, no consent, no screening. */
export function sameCompanyIn(status: Status): TransferState {
  return transferIn(status, {
    destinationSmartAccountId: SA.frB,
    destinationVirtualAccountId: 20,
    sameLegalEntity: true,
    transfereeId: null,
    consents: [],
    screenedById: null,
    screenedByName: null,
    screenedAt: null,
  });
}

export { consent as consentOf };

export const eligible = (itemId: number, warnings: Msg[] = []): Check => ({
  itemId,
  eligibility: { eligible: true, warnings },
});

export const ineligible = (itemId: number, key: MessageKey = 'eligibility:reason.pendingUpgrade'): Check => ({
  itemId,
  eligibility: { eligible: false, reason: { key } },
});

export type Check = { itemId: number; eligibility: Eligibility };

/** A license of Smart Account 1, VA 10 (DEFAULT), eligible as it stands. */
export const license = (extra: Partial<LicenseAsset> = {}): LicenseAsset => ({
  kind: 'license',
  id: 42,
  smartAccountId: 1,
  virtualAccountId: 10,
  salesOrder: '104857601',
  line: '1',
  pid: 'C9300-DNA-E-24-3Y',
  quantity: 10,
  purchaseModel: 'standard',
  pendingUpgrade: false,
  inUse: 0,
  reserved: false,
  ...extra,
});

/** A device of Smart Account 1, VA 10 (DEFAULT), registered directly. */
export const device = (extra: Partial<DeviceAsset> = {}): DeviceAsset => ({
  kind: 'device',
  id: 7,
  smartAccountId: 1,
  virtualAccountId: 10,
  serialNumber: 'FOC2231X0AB',
  pid: 'C9300-24T',
  registration: 'direct',
  ...extra,
});

/** A request from Smart Account 1 (all its VAs), where VA 11 is an On-Prem "Lab"; no asset held. */
export const eligibilityContext = (extra: Partial<EligibilityContext> = {}): EligibilityContext => ({
  sourceSmartAccountId: 1,
  sourceVirtualAccountId: null,
  onPremVirtualAccountIds: new Set([11]),
  heldBy: null,
  ...extra,
});
