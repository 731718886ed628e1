import type { MessageKey, Msg } from './msg.js';
import type { Status } from './status.js';

export type Surface = 'slack' | 'teams' | 'console' | 'cli' | 'system';
export type GlobalRole = 'compliance' | 'licensing_ops' | 'bot_admin';
export const GLOBAL_ROLES: readonly GlobalRole[] = ['compliance', 'licensing_ops', 'bot_admin'];

/** Who is acting, as the database knows them right now (never as a payload claims). */
export interface Actor {
  userId: number;
  email: string;
  name: string;
  legalEntityId: string | null;
  /** Smart Account ids this user administers. */
  adminOf: ReadonlySet<number>;
  globalRoles: ReadonlySet<GlobalRole>;
  surface: Surface;
}

export interface SmartAccountRef {
  id: number;
  domain: string;
  name: string;
  legalEntityId: string | null;
}

/** Every Smart Account has this Virtual Account; a destination named without one means it. */
export const DEFAULT_VIRTUAL_ACCOUNT = 'DEFAULT';

export interface VirtualAccountRef {
  id: number;
  smartAccountId: number;
  name: string;
  onPrem: boolean;
}

export interface LicenseAsset {
  kind: 'license';
  id: number;
  smartAccountId: number;
  virtualAccountId: number;
  salesOrder: string;
  line: string;
  pid: string;
  quantity: number;
  purchaseModel: 'standard' | 'enterprise_agreement';
  pendingUpgrade: boolean;
  inUse: number;
  reserved: boolean;
}

export interface DeviceAsset {
  kind: 'device';
  id: number;
  smartAccountId: number;
  virtualAccountId: number;
  serialNumber: string;
  pid: string;
  registration: 'direct' | 'cslu' | 'ssm_onprem';
}

export type Asset = LicenseAsset | DeviceAsset;

export type ConsentRole = 'transferee' | 'transferor';

export interface ConsentState {
  role: ConsentRole;
  userId: number;
  decision: 'approved' | 'rejected' | null;
  decidedById: number | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  reason: string | null;
  /**
   * Whether the person asked still holds the role the consent needs, as the inventory says now: an admin
   * of the side they consent for (the source, for a transferor, from its own legal entity).
   */
  mayAnswer: boolean;
  /** Since when the history says they can no longer answer; null while it does not (see decideAnswerers). */
  cannotAnswerSince: Date | null;
  /** How many reminders the person was sent for it (an escalation comes only after some). */
  remindersSent: number;
}

/** A status the transfer has left: who moved it on (their name; null for the bot's own step), and when. */
export interface StatusLeft {
  from: Status;
  byName: string | null;
  at: Date;
}

/** `not_transferred`: the transfer ended (cancelled, rejected, expired) before the item could move. */
export type ItemResult = 'pending' | 'transferred' | 'failed' | 'excluded' | 'not_transferred';

export interface TransferState {
  id: string;
  status: Status;
  version: number;
  requesterId: number;
  sourceSmartAccountId: number;
  sourceVirtualAccountId: number | null;
  destinationSmartAccountId: number;
  destinationVirtualAccountId: number;
  sameLegalEntity: boolean;
  requestedByPartner: boolean;
  transfereeId: number | null;
  consents: ConsentState[];
  screenedById: number | null;
  screenedByName: string | null;
  screenedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** When assets first moved (set once, never replaced); null while none has. */
  completedAt: Date | null;
  /**
   * The statuses the transfer has left, as its record has them, read with the state a decision is taken
   * on: a click the transfer has moved past is told who moved it on, and when. Absent where the state is
   * read for something else.
   */
  statusesLeft?: StatusLeft[];
}

/** A refusal: what the user is told, and a stable code for logs, metrics and the audit record. */
export interface Refusal {
  code: RefusalCode;
  message: Msg;
  /** One line per problem when there are several (each asset reference that failed, each missing field). */
  details?: Msg[];
}

export type RefusalCode =
  'not_found' | 'forbidden' | 'wrong_status' | 'already_decided' | 'invalid' | 'ineligible' | 'conflict';

/** The refusals of a decision asked of someone who has since lost the role it takes. */
const ROLE_LOST: readonly MessageKey[] = ['core:refusal.noLongerAdmin', 'core:refusal.noLongerCompliance'];

/**
 * A refusal that says the button clicked is out of date: the transfer has moved past it (submitted,
 * cancelled, decided), or the one who clicked no longer holds the role it takes. Every surface then draws
 * the card again as the transfer is now, for them, saying why, so the stale buttons go.
 */
export function isOutOfDate(refusal: Refusal): boolean {
  return (
    refusal.code === 'wrong_status' ||
    refusal.code === 'already_decided' ||
    ROLE_LOST.includes(refusal.message.key)
  );
}

export function refuse(
  code: RefusalCode,
  key: MessageKey,
  params?: Record<string, string | number>,
): Refusal {
  return { code, message: params === undefined ? { key } : { key, params } };
}
