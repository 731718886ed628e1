import type { Status } from '../domain/status.js';
import { statusLabel } from '../i18n/index.js';
import { vaKey } from './identities.js';

/**
 * An asset that an open transfer holds (its item is open: selected, and the transfer not final). The import
 * may update such an asset's attributes but not move it: the transfer would later move an asset that is no
 * longer where the request found it.
 */
export interface HeldAsset {
  transferId: string;
  status: Status;
  /** Where the asset is: lower-case domain and the VA's name. */
  smartAccount: string;
  virtualAccount: string;
}

/** Held assets by identity: licenses by `licenseKey`, devices by upper-case serial number. */
export interface HeldAssets {
  licenses: ReadonlyMap<string, HeldAsset>;
  devices: ReadonlyMap<string, HeldAsset>;
}

export function licenseKey(salesOrder: string, line: string): string {
  return `${salesOrder}\u0000${line}`;
}

export function licenseName(salesOrder: string, line: string): string {
  return `sales order ${salesOrder} line ${line}`;
}

export function deviceName(serialNumber: string): string {
  return `serial number ${serialNumber}`;
}

export interface Place {
  smartAccount: string;
  virtualAccount: string;
}

/**
 * The error for a row of the file that would move a held asset (`asset` names it, `to` is where the row puts
 * it), or nothing when the row leaves it where it is. Like the file's other errors it is in English; the status
 * is named by its label.
 */
export function heldAssetMove(
  list: 'licenses' | 'devices',
  index: number,
  asset: string,
  held: HeldAsset,
  to: Place,
): { path: (string | number)[]; message: string } | undefined {
  if (vaKey(to.smartAccount, to.virtualAccount) === vaKey(held.smartAccount, held.virtualAccount))
    return undefined;
  const field = to.smartAccount.toLowerCase() === held.smartAccount ? 'virtualAccount' : 'smartAccount';
  return {
    path: [list, index, field],
    message:
      `${asset} is in open transfer ${held.transferId} (${statusLabel('en', held.status)}): it cannot move from ` +
      `${held.smartAccount}/${held.virtualAccount} to ${to.smartAccount}/${to.virtualAccount} until that ` +
      `transfer is finished or cancelled`,
  };
}
