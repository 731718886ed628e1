import { formatAssetRef, parseAssetRef } from '../commands/asset-ref.js';
import { searchText } from '../text/input-check.js';
import type { AccountRef } from '../commands/command.js';
import { assetKey, checkEligibility, type Eligibility } from '../domain/eligibility.js';
import { checkNamedAccount, maySeeAssetsOf } from '../domain/permissions.js';
import type { Actor } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { deviceRef, licenseRef, toDeviceAsset, toLicenseAsset } from './asset-rows.js';
import type { AppDeps } from './deps.js';
import type { DeviceRow, LicenseRow, MinorLine } from './ports/assets.js';
import { okResult, refused, type Result } from './run.js';

export interface AssetRow {
  kind: 'license' | 'device';
  ref: string;
  virtualAccount: string;
  pid: string;
  description: string | null;
  quantity: number;
  licenseType: string | null;
  /** Licenses: their minor lines; devices: none. */
  minorLines: MinorLine[];
  webOrder?: string | null;
  subscriptionId?: string | null;
  pak?: string | null;
  hostId?: string | null;
  uuid?: string | null;
  pnpStatus?: string | null;
  /** Devices: how they are registered (`direct`, `cslu`, `ssm_onprem`), as recorded. */
  registration?: string | null;
  salesOrder?: string | null;
  eligibility: Eligibility;
}

export interface AssetList {
  smartAccount: { domain: string; name: string };
  virtualAccount: string | null;
  tab: 'licenses' | 'devices';
  rows: AssetRow[];
  /** True when there were more matches than shown. */
  more: boolean;
}

/**
 * `assets SA[/VA] [licenses|devices] [QUERY]` and the wizard's typeahead: assets of one account,
 * eligible or not, each with the reason a user reads when choosing.
 */
export async function listAssets(
  deps: AppDeps,
  actor: Actor,
  account: AccountRef,
  tab: 'licenses' | 'devices',
  query: string | undefined,
  limit = 25,
  /** Licenses: only this line of the sales order `query` names. */
  line?: string,
): Promise<Result<AssetList>> {
  const sa = await deps.store.accounts.findSmartAccount(account.smartAccount);
  const hidden = checkNamedAccount(actor, sa ?? account.smartAccount, (id) => maySeeAssetsOf(actor, id));
  if (hidden || !sa) return refused(hidden!);
  let vaId: number | undefined;
  if (account.virtualAccount) {
    const va = await deps.store.accounts.findVirtualAccount(sa.id, account.virtualAccount);
    if (!va)
      return refused(
        refuse('invalid', 'core:refusal.unknownVirtualAccount', {
          name: account.virtualAccount,
          domain: sa.domain,
        }),
      );
    vaId = va.id;
  }
  const search = {
    smartAccountId: sa.id,
    virtualAccountId: vaId,
    query: searchText(query),
    line,
    limit: limit + 1,
  };
  const vas = new Map((await deps.store.accounts.virtualAccountsOf([sa.id])).map((v) => [v.id, v]));
  const onPrem = new Set([...vas.values()].filter((v) => v.onPrem).map((v) => v.id));
  const ctx = (key: string, held: Map<string, string>) => ({
    sourceSmartAccountId: sa.id,
    sourceVirtualAccountId: vaId ?? null,
    onPremVirtualAccountIds: onPrem,
    heldBy: held.get(key) ?? null,
  });
  let rows: AssetRow[];
  if (tab === 'licenses') {
    const found = await deps.store.assets.searchLicenses(search);
    const held = await deps.store.assets.heldBy(found.map((l) => assetKey({ kind: 'license', id: l.id })));
    rows = found.map((l) =>
      licenseRow(
        l,
        vas.get(l.virtualAccountId)?.name ?? '',
        checkEligibility(toLicenseAsset(l), ctx(assetKey({ kind: 'license', id: l.id }), held)),
      ),
    );
  } else {
    const found = await deps.store.assets.searchDevices(search);
    const held = await deps.store.assets.heldBy(found.map((d) => assetKey({ kind: 'device', id: d.id })));
    rows = found.map((d) =>
      deviceRow(
        d,
        vas.get(d.virtualAccountId)?.name ?? '',
        checkEligibility(toDeviceAsset(d), ctx(assetKey({ kind: 'device', id: d.id }), held)),
      ),
    );
  }
  return okResult({
    smartAccount: { domain: sa.domain, name: sa.name },
    virtualAccount: account.virtualAccount ?? null,
    tab,
    rows: rows.slice(0, limit),
    more: rows.length > limit,
  });
}

/**
 * The wizard's typeahead: what a person typed, read as a reference when it is one. `SO:104857601-1` (or
 * `104857601-1`) and `SN:…` typed whole are searched by their value and narrowed to the asset named; a
 * line is looked up as that line, however many lines its sales order has. Anything else is searched as
 * the listing searches it.
 */
export async function listTypedAssets(
  deps: AppDeps,
  actor: Actor,
  account: AccountRef,
  tab: 'licenses' | 'devices',
  typed: string | undefined,
  limit: number,
): Promise<Result<AssetList>> {
  const text = typed?.trim() ?? '';
  const ref = parseAssetRef(text) ?? parseAssetRef(`SO:${text}`);
  const line = ref?.kind === 'so' && ref.line !== undefined ? ref : undefined;
  const search = ref
    ? ref.kind === 'so'
      ? ref.salesOrder
      : formatAssetRef(ref).slice(ref.kind.length + 1)
    : text || undefined;
  const result = await listAssets(deps, actor, account, tab, search, limit, line?.line);
  if (!result.ok || !line) return result;
  // The search is a prefix: SO:1048576010 has a line 1 too.
  const wanted = formatAssetRef(line).toUpperCase();
  const rows = result.value.rows.filter((row) => row.ref.toUpperCase() === wanted);
  return okResult({ ...result.value, rows, more: false });
}

function licenseRow(license: LicenseRow, va: string, eligibility: Eligibility): AssetRow {
  return {
    kind: 'license',
    ref: licenseRef(license),
    virtualAccount: va,
    pid: license.pid,
    description: license.description,
    quantity: license.quantity,
    licenseType: license.licenseType,
    minorLines: license.minorLines,
    webOrder: license.webOrder,
    subscriptionId: license.subscriptionId,
    pak: license.pak,
    eligibility,
  };
}

function deviceRow(device: DeviceRow, va: string, eligibility: Eligibility): AssetRow {
  return {
    kind: 'device',
    ref: deviceRef(device),
    virtualAccount: va,
    pid: device.pid,
    description: null,
    quantity: 1,
    licenseType: device.licenseType,
    minorLines: [],
    hostId: device.hostId,
    uuid: device.uuid,
    pnpStatus: device.pnpStatus,
    registration: device.registration,
    salesOrder: device.salesOrder,
    eligibility,
  };
}
