import { formatAssetRef, type AssetRef } from '../commands/asset-ref.js';
import { assetKey, checkEligibility } from '../domain/eligibility.js';
import { maySeeAssetsOf } from '../domain/permissions.js';
import type { Actor, Refusal } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { keyParam, msg, type Msg } from '../domain/msg.js';
import { firstProblems } from './problems.js';
import { deviceRef, licenseRef, toDeviceAsset, toLicenseAsset } from './asset-rows.js';
import type { DeviceRow, LicenseRow } from './ports/assets.js';
import type { Repositories } from './ports/store.js';
import type { Resolved } from './request.js';

/**
 * Every reference must name eligible assets in the source; each one that does not is reported by name.
 * One that sits in another Virtual Account of the source is reported with the account it is in, to a
 * requester who may see the source's assets.
 */
export async function resolveAssets(
  repos: Repositories,
  actor: Actor,
  resolved: Resolved,
  refs: AssetRef[],
): Promise<{ licenses: LicenseRow[]; devices: DeviceRow[] } | Refusal> {
  const problems: Msg[] = [];
  const licenses = new Map<number, { row: LicenseRow; ref: string }>();
  const devices = new Map<number, { row: DeviceRow; ref: string }>();
  const inSourceVa = (vaId: number) => resolved.sourceVaId === null || vaId === resolved.sourceVaId;
  const named = await repos.assets.resolveRefs(resolved.source.id, refs);
  for (const [index, ref] of refs.entries()) {
    const found = named[index]!;
    const licenseRows = found.licenses.filter((row) => inSourceVa(row.virtualAccountId));
    const deviceRows = found.devices.filter((row) => inSourceVa(row.virtualAccountId));
    if (licenseRows.length + deviceRows.length === 0) {
      problems.push(await notFound(repos, actor, resolved, ref, [...found.licenses, ...found.devices]));
    }
    for (const row of licenseRows) licenses.set(row.id, { row, ref: licenseRef(row) });
    for (const row of deviceRows) devices.set(row.id, { row, ref: deviceRef(row) });
  }
  const vas = await repos.accounts.virtualAccountsByIds(
    [...devices.values()].map((device) => device.row.virtualAccountId),
  );
  const onPrem = new Set([...vas.values()].filter((va) => va.onPrem).map((va) => va.id));
  const assets = [
    ...[...licenses.values()].map((license) => ({ asset: toLicenseAsset(license.row), ref: license.ref })),
    ...[...devices.values()].map((device) => ({ asset: toDeviceAsset(device.row), ref: device.ref })),
  ];
  const held = await repos.assets.heldBy(assets.map((a) => assetKey(a.asset)));
  for (const { asset, ref } of assets) {
    const eligibility = checkEligibility(asset, {
      sourceSmartAccountId: resolved.source.id,
      sourceVirtualAccountId: resolved.sourceVaId,
      onPremVirtualAccountIds: onPrem,
      heldBy: held.get(assetKey(asset)) ?? null,
    });
    if (!eligibility.eligible) {
      const { reason } = eligibility;
      problems.push(
        msg('core:problem.ineligible', { ref, reasonKey: keyParam(reason.key), ...reason.params }),
      );
    }
  }
  if (problems.length > 0)
    return {
      ...refuse('ineligible', 'core:refusal.assetProblems', { count: problems.length }),
      details: firstProblems(problems),
    };
  if (assets.length === 0) return refuse('invalid', 'core:refusal.noAssets');
  return {
    licenses: [...licenses.values()].map((license) => license.row),
    devices: [...devices.values()].map((device) => device.row),
  };
}

async function notFound(
  repos: Repositories,
  actor: Actor,
  resolved: Resolved,
  ref: AssetRef,
  elsewhere: readonly { virtualAccountId: number }[],
): Promise<Msg> {
  const text = formatAssetRef(ref);
  const { domain, id } = resolved.source;
  if (elsewhere.length === 0 || resolved.sourceVaId === null || !maySeeAssetsOf(actor, id))
    return msg('core:problem.refNotFound', { ref: text, domain });
  const ids = [...new Set(elsewhere.map((row) => row.virtualAccountId))];
  const vas = await repos.accounts.virtualAccountsByIds([...ids, resolved.sourceVaId]);
  const names = ids.map((vaId) => vas.get(vaId)?.name ?? '').filter((name) => name !== '');
  return msg('core:problem.refInOtherVirtualAccount', {
    ref: text,
    domain,
    virtualAccount: names.join(', '),
    sourceVirtualAccount: vas.get(resolved.sourceVaId)?.name ?? '',
  });
}
