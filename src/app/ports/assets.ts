import type { AssetRef } from '../../commands/asset-ref.js';
import type { DeviceAsset, LicenseAsset } from '../../domain/types.js';

export interface MinorLine {
  line: string;
  pid: string;
  quantity: number;
}

export type LicenseType = 'smart' | 'classic' | 'subscription';

/** A license line as stored: what eligibility reads, and what people search and read. */
export interface LicenseRow extends Omit<LicenseAsset, 'kind'> {
  description: string | null;
  licenseType: LicenseType;
  webOrder: string | null;
  subscriptionId: string | null;
  pak: string | null;
  minorLines: MinorLine[];
}

/** A device as stored: what eligibility reads, and what people search and read. */
export interface DeviceRow extends Omit<DeviceAsset, 'kind'> {
  hostId: string | null;
  uuid: string | null;
  licenseType: LicenseType | null;
  pnpStatus: string | null;
  salesOrder: string | null;
}

/** A typeahead or listing within one Smart Account (and perhaps one of its Virtual Accounts). */
export interface AssetSearch {
  smartAccountId: number;
  virtualAccountId?: number | undefined;
  query?: string | undefined;
  /** Licenses: only this line of the sales order `query` names (`SO:104857601-10` typed whole). */
  line?: string | undefined;
  limit: number;
}

export interface AssetRepository {
  /** The assets each reference names inside one Smart Account, in the order of `refs`. */
  resolveRefs(
    smartAccountId: number,
    refs: readonly AssetRef[],
  ): Promise<{ licenses: LicenseRow[]; devices: DeviceRow[] }[]>;
  /** The open transfer holding each asset key, if any (other than `exceptTransferId`). */
  heldBy(keys: readonly string[], exceptTransferId?: string): Promise<Map<string, string>>;
  /** Current rows of these assets, locked for the rest of the transaction when `lock` is set. */
  loadAssets(
    licenseIds: readonly number[],
    deviceIds: readonly number[],
    lock: boolean,
  ): Promise<{ licenses: Map<number, LicenseRow>; devices: Map<number, DeviceRow> }>;
  /** Moves assets (licenses whole, with every minor line) to a Virtual Account. */
  moveAssets(
    licenseIds: readonly number[],
    deviceIds: readonly number[],
    to: { smartAccountId: number; virtualAccountId: number },
  ): Promise<void>;
  /** Prefix search on the identifiers people type, and words in descriptions; listing order without a query. */
  searchLicenses(search: AssetSearch): Promise<LicenseRow[]>;
  searchDevices(search: AssetSearch): Promise<DeviceRow[]>;
}
