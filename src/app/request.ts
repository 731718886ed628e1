import { randomInt } from 'node:crypto';
import type { AccountRef } from '../commands/command.js';
import type { AssetRef } from '../commands/asset-ref.js';
import { checkTextLength, decideSameCompany, decideValidation } from '../domain/decide.js';
import { recordedField } from '../text/input-check.js';
import { assetKey } from '../domain/eligibility.js';
import { checkRequest, isPartnerFor } from '../domain/permissions.js';
import { transferorCandidates } from '../domain/consenters.js';
import { newTransactionId } from '../domain/transaction-id.js';
import type { Actor, Refusal, SmartAccountRef, TransferState } from '../domain/types.js';
import { DEFAULT_VIRTUAL_ACCOUNT, refuse } from '../domain/types.js';
import { msg, type MessageKey, type Msg } from '../domain/msg.js';
import { actorLabel, applyDecision, checkItems } from './apply.js';
import { deviceRef, licenseRef } from './asset-rows.js';
import type { AppDeps } from './deps.js';
import { DuplicateError, type Repositories } from './ports/store.js';
import type { NewItem } from './ports/transfers.js';
import { resolveAssets } from './request-assets.js';
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
  /** On a partner's request: the source admin who consents as transferor; none named asks them all. */
  transferor?: string | undefined;
}

export interface Requested {
  state: TransferState;
  /** Things the requester must hear about even though the request went through. */
  warnings: Msg[];
}

export interface Resolved {
  source: SmartAccountRef;
  sourceVaId: number | null;
  destination: SmartAccountRef;
  destinationVaId: number;
}

const no = (
  code: Refusal['code'],
  key: MessageKey,
  params?: Record<string, string | number>,
  details?: Msg[],
) => {
  const r = refuse(code, key, params);
  return details ? { ...r, details } : r;
};

export async function resolveAccounts(
  repos: Repositories,
  actor: Actor,
  input: RequestInput,
): Promise<Resolved | Refusal> {
  const { accounts } = repos;
  const source = await accounts.findSmartAccount(input.source.smartAccount);
  const destination = await accounts.findSmartAccount(input.destination.smartAccount);
  // Who may not request between these accounts learns nothing more, not even whether they exist.
  const forbidden = checkRequest(
    actor,
    source ?? input.source.smartAccount,
    destination ?? input.destination.smartAccount,
  );
  if (forbidden || !source || !destination) return forbidden!;
  let sourceVaId: number | null = null;
  if (input.source.virtualAccount) {
    const va = await accounts.findVirtualAccount(source.id, input.source.virtualAccount);
    if (!va)
      return no('invalid', 'core:refusal.unknownVirtualAccount', {
        name: input.source.virtualAccount,
        domain: source.domain,
      });
    sourceVaId = va.id;
  }
  const destinationVaName = input.destination.virtualAccount ?? DEFAULT_VIRTUAL_ACCOUNT;
  const destinationVa = await accounts.findVirtualAccount(destination.id, destinationVaName);
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
 * Between legal entities the transfer request form names the transferee, gives a business justification
 * and accepts the terms and conditions. What is missing, one problem each.
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

/**
 * Checks and records a request, then validates it at once. Nothing is created when anything is wrong,
 * and the requester hears every problem in one answer.
 */
export async function requestTransfer(
  deps: AppDeps,
  actor: Actor,
  input: RequestInput,
): Promise<Result<Requested>> {
  const now = deps.now();
  const result = await inTransaction<Requested>(deps, async (repos) => {
    const accounts = await resolveAccounts(repos, actor, input);
    if ('code' in accounts) return refused(accounts);
    const { source, destination } = accounts;

    const warnings: Msg[] = [];
    const sourceLe = await repos.accounts.findLegalEntity(source.legalEntityId);
    const destinationLe = await repos.accounts.findLegalEntity(destination.legalEntityId);
    const company = decideSameCompany(input.sameCompany, sourceLe, destinationLe);
    if (company.note) warnings.push(company.note);
    const { sameLegalEntity } = company;
    const partner = isPartnerFor(actor, source, destination);

    let transfereeId: number | null = null;
    let transferorId: number | null = null;
    if (!sameLegalEntity) {
      // Only what was not given is asked for, after the note that says why the form is needed at all.
      const missing = missingFormFields(input);
      if (missing.length > 0)
        return refused(no('invalid', 'core:refusal.formIncomplete', {}, [...warnings, ...missing]));
      const tooLong = checkTextLength('common:field.businessJustification', input.justification?.trim());
      if (tooLong) return refused(tooLong);
      const transferee = await repos.users.findUser({ email: input.transferee! });
      // Asked of the person's own grants (read with them), not of every admin the account has.
      const administers = transferee
        ? (transferee.adminOf ?? (await repos.users.administeredAccountIds(transferee.id)))
        : [];
      if (!transferee || !administers.includes(destination.id)) {
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
        const eligible = transferorCandidates(
          actor.userId,
          source,
          await repos.users.adminsOf(source.id),
          transfereeId,
        );
        if (eligible.length === 0)
          return refused(no('invalid', 'core:refusal.noTransferorAvailable', { domain: source.domain }));
        if (input.transferor) {
          const named = eligible.find((u) => u.email.toLowerCase() === input.transferor!.toLowerCase());
          if (!named) {
            return refused(
              no(
                'invalid',
                'core:refusal.transferorNotEligible',
                { email: input.transferor, domain: source.domain },
                eligible.map((u) => msg('core:problem.eligibleTransferor', { name: u.name, email: u.email })),
              ),
            );
          }
          transferorId = named.id;
        }
      }
    }
    if (input.transferor && transferorId === null)
      warnings.push(msg('core:warning.transferorNotAsked', { email: input.transferor }));

    const assets = await resolveAssets(repos, actor, accounts, input.assets);
    if ('code' in assets) return refused(assets);

    const id = newTransactionId(randomInt);
    await repos.transfers.insert({
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
      transferorId,
      // The requester's own words as the record keeps them for the transferee and compliance to read;
      // kept when given between sites of one company too, where the form asks for none.
      justification: recordedField(input.justification),
      transfereeLegalName: sameLegalEntity
        ? null
        : recordedField(input.transfereeLegalName) || destinationLe?.name || null,
      transfereeAddress: sameLegalEntity
        ? null
        : recordedField(input.transfereeAddress) || destinationLe?.address || null,
      termsAcceptedAt: sameLegalEntity ? null : now,
      surface: actor.surface,
      createdAt: now,
      updatedAt: now,
    });
    const items: NewItem[] = [
      ...assets.licenses.map((license) => ({
        transferId: id,
        kind: 'license' as const,
        licenseId: license.id,
        assetKey: assetKey({ kind: 'license', id: license.id }),
        ref: licenseRef(license),
        pid: license.pid,
        quantity: license.quantity,
        description: license.description,
      })),
      ...assets.devices.map((device) => ({
        transferId: id,
        kind: 'device' as const,
        deviceId: device.id,
        assetKey: assetKey({ kind: 'device', id: device.id }),
        ref: deviceRef(device),
        pid: device.pid,
        quantity: 1,
      })),
    ];
    await repos.transfers.insertItems(items);
    await repos.transfers.appendHistory([
      {
        transferId: id,
        at: now,
        actorId: actor.userId,
        actor: actorLabel(actor),
        surface: actor.surface,
        action: 'request',
        toStatus: 'validation_initiated',
        details: { warnings, items: items.length, sameCompanyAnswer: input.sameCompany },
      },
    ]);

    const created = (await repos.transfers.loadState(id))!.state;
    const validation = decideValidation(created, await checkItems(repos, created, 'pending', false));
    if (!validation.ok) throw new Error(`validation of ${id} refused: ${validation.refusal.message.key}`);
    const { state } = await applyDecision(repos, created, validation.decision, {
      actor: null,
      surface: actor.surface,
      now,
    });
    return okResult({ state, warnings });
  }).catch((err: unknown) => {
    // Two requests racing for the same asset: the database's one-open-transaction index decides.
    if (err instanceof DuplicateError)
      return refused<Requested>(refuse('conflict', 'core:refusal.assetTaken'));
    throw err;
  });
  if (!result.ok) await auditRefusal(deps, actor, null, 'request', result.refusal);
  return result;
}
