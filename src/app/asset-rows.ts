import { labelled, translate, type Locale } from '../i18n/index.js';
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

/** The inventory values shown beside an asset that the catalog names in every language. */
const ENUMS = {
  licenseType: ['smart', 'classic', 'subscription'],
  pnpStatus: ['provisioned', 'unclaimed', 'planned', 'contacted', 'error', 'claimed'],
  registration: ['direct', 'cslu', 'ssm_onprem'],
} as const;
export type EnumName = keyof typeof ENUMS;

/** An inventory value in the reader's language; one the catalog does not know is shown as recorded. */
export function enumText(locale: Locale, name: EnumName, value: string): string {
  switch (name) {
    case 'licenseType':
      return isOneOf(ENUMS.licenseType, value)
        ? translate(locale, `common:enum.licenseType.${value}`)
        : value;
    case 'pnpStatus':
      return isOneOf(ENUMS.pnpStatus, value) ? translate(locale, `common:enum.pnpStatus.${value}`) : value;
    case 'registration':
      return isOneOf(ENUMS.registration, value)
        ? translate(locale, `common:enum.registration.${value}`)
        : value;
  }
}

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/**
 * What people search an asset by, beyond its reference: web order, subscription and PAK for a license;
 * host ID and UUID (and the order it came with) for a device; each labelled in the reader's language.
 */
export function assetIdentifiers(
  locale: Locale,
  row: {
    webOrder?: string | null;
    subscriptionId?: string | null;
    pak?: string | null;
    hostId?: string | null;
    uuid?: string | null;
    salesOrder?: string | null;
  },
): string[] {
  const named = [
    ['webOrder', row.webOrder],
    ['subscriptionId', row.subscriptionId],
    ['pak', row.pak],
    ['hostId', row.hostId],
    ['uuid', row.uuid],
    ['salesOrder', row.salesOrder],
  ] as const;
  return named.flatMap(([name, value]) =>
    value ? [translate(locale, `common:identifier.${name}`, { value })] : [],
  );
}

/**
 * What a list shows beside an asset's reference and product, in the reader's language: its license
 * type, PnP status and registration (values the inventory records in English), then what people
 * search it by. Every surface's asset rows and pickers use it, so none shows a raw inventory value.
 */
export function assetFacts(
  locale: Locale,
  row: Parameters<typeof assetIdentifiers>[1] & {
    licenseType?: string | null;
    pnpStatus?: string | null;
    registration?: string | null;
  },
): string[] {
  const field = (label: 'pnpStatus' | 'registration', value: string) =>
    labelled(locale, translate(locale, `common:field.${label}`), enumText(locale, label, value));
  return [
    ...(row.licenseType ? [enumText(locale, 'licenseType', row.licenseType)] : []),
    ...(row.pnpStatus ? [field('pnpStatus', row.pnpStatus)] : []),
    ...(row.registration ? [field('registration', row.registration)] : []),
    ...assetIdentifiers(locale, row),
  ];
}
