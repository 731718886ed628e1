import type { DeviceAsset, LicenseAsset } from '../domain/types.js';
import type { DeviceRow, LicenseRow } from './ports/assets.js';

/** A license as the eligibility rules see it. */
export function toLicenseAsset(row: LicenseRow): LicenseAsset {
  return {
    kind: 'license',
    id: row.id,
    smartAccountId: row.smartAccountId,
    virtualAccountId: row.virtualAccountId,
    salesOrder: row.salesOrder,
    line: row.line,
    pid: row.pid,
    quantity: row.quantity,
    purchaseModel: row.purchaseModel,
    pendingUpgrade: row.pendingUpgrade,
    inUse: row.inUse,
    reserved: row.reserved,
  };
}

/** A device as the eligibility rules see it. */
export function toDeviceAsset(row: DeviceRow): DeviceAsset {
  return {
    kind: 'device',
    id: row.id,
    smartAccountId: row.smartAccountId,
    virtualAccountId: row.virtualAccountId,
    serialNumber: row.serialNumber,
    pid: row.pid,
    registration: row.registration,
  };
}

/** How a license line is named on items, cards and in commands: `SO:104857601-1`. */
export function licenseRef(row: Pick<LicenseRow, 'salesOrder' | 'line'>): string {
  return `SO:${row.salesOrder}-${row.line}`;
}

/** How a device is named: `SN:FOC1234X0AB`. */
export function deviceRef(row: Pick<DeviceRow, 'serialNumber'>): string {
  return `SN:${row.serialNumber}`;
}
