import { randomInt } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { pgErrorCode } from '../../db/client.js';
import {
  findLegalEntity,
  findSmartAccount,
  findVirtualAccount,
  virtualAccountsByIds,
} from '../../db/accounts-repo.js';
import {
  deviceRef,
  heldBy,
  licenseRef,
  resolveRef,
  toDeviceAsset,
  toLicenseAsset,
  type DeviceRow,
  type LicenseRow,
} from '../../db/assets-repo.js';
import { transferItems, transfers } from '../../db/schema.js';
import { appendHistory, loadTransferState } from '../../db/transfers-repo.js';
import { adminsOf, findUser } from '../../db/users-repo.js';
import type { AccountRef } from '../commands/command.js';
import { formatAssetRef, type AssetRef } from '../commands/asset-ref.js';
import { decideValidation } from '../domain/decide.js';
import { assetKey, checkEligibility } from '../domain/eligibility.js';
import { checkRequest, isPartnerFor } from '../domain/permissions.js';
import { newTransactionId } from '../domain/transaction-id.js';
import type { Actor, Refusal, SmartAccountRef, TransferState } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { msg, type Msg } from '../i18n/msg.js';
import { actorLabel, applyDecision, checkItems } from './apply.js';
import type { AppDeps } from './deps.js';
import { auditRefusal, inTransaction, okResult, refused, type Result } from './run.js';

/** A request as the wizard or the one-line `new` gives it. */
export interface RequestInput {
  source: AccountRef;
  destination: AccountRef;
  assets: AssetRef[];
  sameCompany: boolean;
  transferee?: string | undefined;
  justification?: string | undefined;
  termsAccepted?: boolean | undefined;
  transfereeLegalName?: string | undefined;
  transfereeAddress?: string | undefined;
}

export interface Requested {
  state: TransferState;
  /** Things the requester must hear about even though the request went through. */
  warnings: Msg[];
}

interface Resolved {
  source: SmartAccountRef;
  sourceVaId: number | null;
  destination: SmartAccountRef;
  destinationVaId: number;
}

const no = (
  code: Refusal['code'],
  key: string,
  params?: Record<string, string | number>,
  details?: Msg[],
) => {
  const r = refuse(code, key, params);
  return details ? { ...r, details } : r;
};

async function resolveAccounts(tx: Tx, input: RequestInput): Promise<Resolved | Refusal> {
  const source = await findSmartAccount(tx, input.source.smartAccount);
  if (!source) return no('invalid', 'core:refusal.unknownAccount', { domain: input.source.smartAccount });
  const destination = await findSmartAccount(tx, input.destination.smartAccount);
  if (!destination)
    return no('invalid', 'core:refusal.unknownAccount', { domain: input.destination.smartAccount });
  let sourceVaId: number | null = null;
  if (input.source.virtualAccount) {
    const va = await findVirtualAccount(tx, source.id, input.source.virtualAccount);
    if (!va)
      return no('invalid', 'core:refusal.unknownVirtualAccount', {
        name: input.source.virtualAccount,
        domain: source.domain,
      });
    sourceVaId = va.id;
  }
  const destinationVaName = input.destination.virtualAccount ?? 'DEFAULT';
  const destinationVa = await findVirtualAccount(tx, destination.id, destinationVaName);
  if (!destinationVa)
    return no('invalid', 'core:refusal.unknownVirtualAccount', {
      name: destinationVaName,
      domain: destination.domain,
    });
  if (source.id === destination.id)
    return no('invalid', 'core:refusal.sameAccount', { domain: source.domain });
  return { source, sourceVaId, destination, destinationVaId: destinationVa.id };
}

/**
 * SPEC §4.1: between legal entities the transfer request form names the transferee, gives a business
 * justification and accepts the terms and conditions. What is missing, one problem each.
 */
export function missingFormFields(
  input: Pick<RequestInput, 'transferee' | 'justification' | 'termsAccepted'>,
): Msg[] {
  const missing: Msg[] = [];
  if (!input.transferee) missing.push(msg('core:problem.missing.transferee'));
  if (!input.justification?.trim()) missing.push(msg('core:problem.missing.justification'));
  if (!input.termsAccepted) missing.push(msg('core:problem.missing.terms'));
  return missing;
}

/** Every reference must name eligible assets in the source; each one that does not is reported by name. */
async function resolveAssets(
  tx: Tx,
  r: Resolved,
  refs: AssetRef[],
): Promise<{ licenses: LicenseRow[]; devices: DeviceRow[] } | Refusal> {
  const problems: Msg[] = [];
  const lic = new Map<number, { row: LicenseRow; ref: string }>();
  const dev = new Map<number, { row: DeviceRow; ref: string }>();
  for (const ref of refs) {
    const found = await resolveRef(tx, r.source.id, ref);
    const inVa = (va: number) => r.sourceVaId === null || va === r.sourceVaId;
    const licenses = found.licenses.filter((l) => inVa(l.virtualAccountId));
    const devices = found.devices.filter((d) => inVa(d.virtualAccountId));
    if (licenses.length + devices.length === 0) {
      problems.push(msg('core:problem.refNotFound', { ref: formatAssetRef(ref), domain: r.source.domain }));
    }
    for (const row of licenses) lic.set(row.id, { row, ref: licenseRef(row) });
    for (const row of devices) dev.set(row.id, { row, ref: deviceRef(row) });
  }
  const vas = await virtualAccountsByIds(
    tx,
    [...dev.values()].map((d) => d.row.virtualAccountId),
  );
  const onPrem = new Set([...vas.values()].filter((v) => v.onPrem).map((v) => v.id));
  const assets = [
    ...[...lic.values()].map((l) => ({ asset: toLicenseAsset(l.row), ref: l.ref })),
    ...[...dev.values()].map((d) => ({ asset: toDeviceAsset(d.row), ref: d.ref })),
  ];
  const held = await heldBy(
    tx,
    assets.map((a) => assetKey(a.asset)),
  );
  for (const { asset, ref } of assets) {
    const e = checkEligibility(asset, {
      sourceSmartAccountId: r.source.id,
      sourceVirtualAccountId: r.sourceVaId,
      onPremVirtualAccountIds: onPrem,
      heldBy: held.get(assetKey(asset)) ?? null,
    });
    if (!e.eligible)
      problems.push(msg('core:problem.ineligible', { ref, reasonKey: e.reason.key, ...e.reason.params }));
  }
  if (problems.length > 0)
    return no('ineligible', 'core:refusal.assetProblems', { count: problems.length }, problems);
  if (assets.length === 0) return no('invalid', 'core:refusal.noAssets');
  return { licenses: [...lic.values()].map((l) => l.row), devices: [...dev.values()].map((d) => d.row) };
}

/**
 * SPEC §4.1–4.2: check and record a request, then validate it at once. Nothing is created when
 * anything is wrong, and the requester hears every problem in one answer.
 */
export async function requestTransfer(
  deps: AppDeps,
  actor: Actor,
  input: RequestInput,
): Promise<Result<Requested>> {
  const now = deps.now();
  const result = await inTransaction<Requested>(deps, async (tx) => {
    const accounts = await resolveAccounts(tx, input);
    if ('code' in accounts) return refused(accounts);
    const { source, destination } = accounts;
    const forbidden = checkRequest(actor, source, destination);
    if (forbidden) return refused(forbidden);

    const warnings: Msg[] = [];
    const sourceLe = await findLegalEntity(tx, source.legalEntityId);
    const destinationLe = await findLegalEntity(tx, destination.legalEntityId);
    const bothKnown = sourceLe !== undefined && destinationLe !== undefined;
    const inventorySays = bothKnown ? sourceLe.id === destinationLe.id : undefined;
    // Where the inventory contradicts the answer, the transfer is treated as one between companies.
    if (inventorySays !== undefined && inventorySays !== input.sameCompany) {
      warnings.push(
        msg('core:warning.sameCompanyContradiction', {
          source: sourceLe!.name,
          destination: destinationLe!.name,
        }),
      );
    }
    const sameLegalEntity = input.sameCompany && inventorySays !== false;
    const partner = isPartnerFor(actor, source, destination);

    let transfereeId: number | null = null;
    if (!sameLegalEntity) {
      const missing = missingFormFields(input);
      if (missing.length > 0) return refused(no('invalid', 'core:refusal.formIncomplete', {}, missing));
      const transferee = await findUser(tx, { email: input.transferee! });
      const admins = await adminsOf(tx, destination.id);
      if (!transferee || !admins.some((a) => a.id === transferee.id)) {
        return refused(
          no('invalid', 'core:refusal.transfereeNotAdmin', {
            email: input.transferee!,
            domain: destination.domain,
          }),
        );
      }
      if (transferee.id === actor.userId) return refused(no('invalid', 'core:refusal.transfereeIsRequester'));
      transfereeId = transferee.id;
      if (partner) {
        const sourceAdmins = await adminsOf(tx, source.id);
        if (!sourceAdmins.some((u) => u.id !== actor.userId && u.legalEntityId === source.legalEntityId)) {
          return refused(no('invalid', 'core:refusal.noTransferorAvailable', { domain: source.domain }));
        }
      }
    }

    const assets = await resolveAssets(tx, accounts, input.assets);
    if ('code' in assets) return refused(assets);

    const id = newTransactionId(randomInt);
    await tx.insert(transfers).values({
      id,
      status: 'validation_initiated',
      requesterId: actor.userId,
      sourceSmartAccountId: source.id,
      sourceVirtualAccountId: accounts.sourceVaId,
      destinationSmartAccountId: destination.id,
      destinationVirtualAccountId: accounts.destinationVaId,
      sameCompanyAnswer: input.sameCompany,
      sameLegalEntity,
      requestedByPartner: partner && !sameLegalEntity,
      transfereeId,
      justification: sameLegalEntity ? null : (input.justification?.trim() ?? null),
      transfereeLegalName: sameLegalEntity
        ? null
        : input.transfereeLegalName?.trim() || destinationLe?.name || null,
      transfereeAddress: sameLegalEntity
        ? null
        : input.transfereeAddress?.trim() || destinationLe?.address || null,
      termsAcceptedAt: sameLegalEntity ? null : now,
      surface: actor.surface,
      createdAt: now,
      updatedAt: now,
    });
    const rows = [
      ...assets.licenses.map((l) => ({
        transferId: id,
        kind: 'license' as const,
        licenseId: l.id,
        assetKey: assetKey({ kind: 'license', id: l.id }),
        ref: licenseRef(l),
        pid: l.pid,
        quantity: l.quantity,
        description: l.description,
      })),
      ...assets.devices.map((d) => ({
        transferId: id,
        kind: 'device' as const,
        deviceId: d.id,
        assetKey: assetKey({ kind: 'device', id: d.id }),
        ref: deviceRef(d),
        pid: d.pid,
        quantity: 1,
      })),
    ];
    for (let i = 0; i < rows.length; i += 2000)
      await tx.insert(transferItems).values(rows.slice(i, i + 2000));
    await appendHistory(tx, [
      {
        transferId: id,
        at: now,
        actorId: actor.userId,
        actor: actorLabel(actor),
        surface: actor.surface,
        action: 'request',
        toStatus: 'validation_initiated',
        details: { warnings, items: rows.length, sameCompanyAnswer: input.sameCompany },
      },
    ]);

    const created = (await loadTransferState(tx, id))!.state;
    const validation = decideValidation(created, await checkItems(tx, created, 'pending', false));
    if (!validation.ok) throw new Error(`validation of ${id} refused: ${validation.refusal.message.key}`);
    const state = await applyDecision(tx, created, validation.decision, {
      actor: null,
      surface: actor.surface,
      now,
    });
    return okResult({ state, warnings });
  }).catch((err: unknown) => {
    // Two requests racing for the same asset: the database's one-open-transaction index decides.
    if (pgErrorCode(err) === '23505')
      return refused<Requested>(refuse('conflict', 'core:refusal.assetTaken'));
    throw err;
  });
  if (!result.ok) await auditRefusal(deps, actor, null, 'request', result.refusal);
  return result;
}
