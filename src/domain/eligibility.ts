import type { Msg } from './msg.js';
import { msg } from './msg.js';
import type { Asset, DeviceAsset, LicenseAsset } from './types.js';

/**
 * Eligible (with warnings and notes to keep on the record) or not (with the reason a user reads). Asked
 * with a destination (a retry), an asset already there is `arrived`: nothing is left to move.
 */
export type Eligibility =
  { eligible: true; warnings: Msg[] } | { eligible: false; reason: Msg; arrived?: true };

export interface EligibilityContext {
  sourceSmartAccountId: number;
  sourceVirtualAccountId: number | null;
  /** Ids of On-Prem Virtual Accounts among those the assets sit in. */
  onPremVirtualAccountIds: ReadonlySet<number>;
  /** Another open (non-terminal) transaction holding this asset, if any. */
  heldBy: string | null;
  /**
   * Where the transfer takes its assets, when an asset found there counts as arrived (a retry of a failed
   * item the inventory has since placed there); not given, such an asset is simply not in the source.
   */
  destination?: { smartAccountId: number; virtualAccountId: number } | undefined;
}

/** What may move, in the order a user would want to hear about it: where it is first, then why it cannot move. */
export function checkEligibility(asset: Asset, ctx: EligibilityContext): Eligibility {
  if (isAtDestination(asset, ctx))
    return { eligible: false, reason: msg('eligibility:reason.atDestination'), arrived: true };
  const location = checkLocation(asset, ctx);
  if (location) return { eligible: false, reason: location };
  const blocked = asset.kind === 'license' ? licenseBlock(asset) : deviceBlock(asset, ctx);
  if (blocked) return { eligible: false, reason: blocked };
  if (ctx.heldBy)
    return { eligible: false, reason: msg('eligibility:reason.inOpenTransaction', { id: ctx.heldBy }) };
  return { eligible: true, warnings: asset.kind === 'license' ? licenseNotes(asset) : deviceNotes(asset) };
}

/**
 * Already in the destination Smart Account and Virtual Account: where the transfer wanted it, whatever would
 * keep it from moving (an import placed it there after the licensing team fixed it by other means).
 */
function isAtDestination(asset: Asset, ctx: EligibilityContext): boolean {
  const to = ctx.destination;
  return (
    to !== undefined &&
    asset.smartAccountId === to.smartAccountId &&
    asset.virtualAccountId === to.virtualAccountId
  );
}

function checkLocation(asset: Asset, ctx: EligibilityContext): Msg | null {
  if (asset.smartAccountId !== ctx.sourceSmartAccountId) return msg('eligibility:reason.notInSource');
  if (ctx.sourceVirtualAccountId !== null && asset.virtualAccountId !== ctx.sourceVirtualAccountId) {
    return msg('eligibility:reason.notInSourceVa');
  }
  return null;
}

function licenseBlock(license: LicenseAsset): Msg | null {
  if (license.purchaseModel === 'enterprise_agreement') return msg('eligibility:reason.enterpriseAgreement');
  if (license.pendingUpgrade) return msg('eligibility:reason.pendingUpgrade');
  return null;
}

function deviceBlock(device: DeviceAsset, ctx: EligibilityContext): Msg | null {
  if (device.registration === 'ssm_onprem') return msg('eligibility:reason.ssmOnPrem');
  if (ctx.onPremVirtualAccountIds.has(device.virtualAccountId)) return msg('eligibility:reason.onPremVa');
  return null;
}

function licenseNotes(license: LicenseAsset): Msg[] {
  const notes: Msg[] = [];
  if (license.inUse > 0) notes.push(msg('eligibility:warning.inUse', { count: license.inUse }));
  if (license.reserved) notes.push(msg('eligibility:note.reserved'));
  return notes;
}

function deviceNotes(device: DeviceAsset): Msg[] {
  return device.registration === 'cslu' ? [msg('eligibility:note.cslu')] : [];
}

/** The stable key used by the database's one-open-transaction index. */
export function assetKey(asset: Pick<Asset, 'kind' | 'id'>): string {
  return `${asset.kind}:${asset.id}`;
}
