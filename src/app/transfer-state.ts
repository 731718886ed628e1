import type { ConsentState, StatusLeft, TransferState } from '../domain/types.js';
import type { TransferRow } from './ports/transfers.js';

/** A stored transfer as the domain decides on it. */
export function toTransferState(
  row: TransferRow,
  consents: ConsentState[],
  screenedByName: string | null,
  statusesLeft?: StatusLeft[],
): TransferState {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    requesterId: row.requesterId,
    sourceSmartAccountId: row.sourceSmartAccountId,
    sourceVirtualAccountId: row.sourceVirtualAccountId,
    destinationSmartAccountId: row.destinationSmartAccountId,
    destinationVirtualAccountId: row.destinationVirtualAccountId,
    sameLegalEntity: row.sameLegalEntity,
    requestedByPartner: row.requestedByPartner,
    transfereeId: row.transfereeId,
    consents,
    screenedById: row.screenedById,
    screenedByName,
    screenedAt: row.screenedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
    ...(statusesLeft ? { statusesLeft } : {}),
  };
}
