import { isPartnerFor } from '../../domain/permissions.js';
import { transferorCandidates } from '../../domain/consenters.js';
import type { Actor } from '../../domain/types.js';
import type { AppDeps } from '../deps.js';
import { listAccounts } from '../queries.js';
import { transfereeCandidates } from '../request-form.js';
import { fold } from './choices.js';
import type { AccountChoice, JourneyFacts, JourneyState, StepName } from './journey.js';

/**
 * One person's journey while one answer is handled (a submitted form, a click, a typed line): what the
 * pure journey needs to know of the inventory is read once — the accounts once, what depends on the
 * source, destination and transferee once for each combination the answers name. Make one per answer:
 * the next one reads the inventory afresh.
 */
export interface JourneyScope {
  deps: AppDeps;
  actor: Actor;
  /** `search`: what the person typed for an account, so an account past the first ones offered is found. */
  facts(state: JourneyState, search?: string): Promise<JourneyFacts>;
}

export const ACCOUNT_STEPS: readonly StepName[] = ['source', 'destination', 'destinationVirtualAccount'];

/** The accounts offered before anything is typed: the first, by name (a search finds the others). */
const ACCOUNTS_OFFERED = 200;
/** The accounts a typed search adds to them. */
const ACCOUNTS_FOUND = 50;

/**
 * `search`: what the person typed in an account field (a typeahead), for every step this scope draws. The
 * accounts offered are the first ones the requester administers, those the search finds, and those the
 * answers so far name: a partner who administers hundreds of accounts can pick any of them.
 */
export function journeyScope(deps: AppDeps, actor: Actor, options: { search?: string } = {}): JourneyScope {
  let offered: Promise<AccountChoice[]> | undefined;
  const foundBy = new Map<string, Promise<AccountChoice[]>>();
  const factsOf = new Map<string, Promise<JourneyFacts>>();

  /** The accounts offered, and those `wanted` names or finds when they are not all offered already. */
  const accountsFor = async (wanted: readonly string[]): Promise<AccountChoice[]> => {
    offered ??= administeredChoices(deps, actor, undefined, ACCOUNTS_OFFERED);
    const first = await offered;
    // Fewer than a full list: every account the requester administers is in it.
    if (first.length < ACCOUNTS_OFFERED) return first;
    const missing = wanted.filter((w) => !first.some((a) => fold(a.domain) === fold(w)));
    if (missing.length === 0) return first;
    const found = await Promise.all(
      missing.map((w) => {
        let list = foundBy.get(w);
        if (!list) {
          list = administeredChoices(deps, actor, w, ACCOUNTS_FOUND);
          foundBy.set(w, list);
        }
        return list;
      }),
    );
    const seen = new Set(first.map((a) => a.domain));
    return [...first, ...found.flat().filter((a) => !seen.has(a.domain) && seen.add(a.domain) !== undefined)];
  };

  return {
    deps,
    actor,
    facts(state, search = options.search) {
      const wanted = [
        state.source?.smartAccount,
        state.destination?.smartAccount,
        accountSearch(search),
      ].filter((w): w is string => w !== undefined && w !== '');
      // The transferee too: the transferors offered leave them out.
      const key = JSON.stringify([
        state.source?.smartAccount ?? '',
        state.destination?.smartAccount ?? '',
        fold(state.transferee ?? ''),
        wanted,
      ]);
      let facts = factsOf.get(key);
      if (!facts) {
        facts = loadFacts(deps, actor, state, accountsFor(wanted));
        factsOf.set(key, facts);
      }
      return facts;
    },
  };
}

/** The account part of a typed answer (`SA` of `SA/VA`), or nothing when it picks by number. */
function accountSearch(text: string | undefined): string | undefined {
  const account = text?.split('/')[0]?.trim();
  return account && !/^\d+$/.test(account) ? account : undefined;
}

/** The Smart Accounts the requester administers that `query` finds (all, by name), with their Virtual Accounts' counts. */
async function administeredChoices(
  deps: AppDeps,
  actor: Actor,
  query: string | undefined,
  limit: number,
): Promise<AccountChoice[]> {
  const accounts = (await listAccounts(deps, actor, query, { limit })).filter((a) => a.admin);
  return accounts.map((a) => ({
    domain: a.domain,
    name: a.name,
    virtualAccounts: a.virtualAccounts.map((v) => ({
      name: v.name,
      onPrem: v.onPrem,
      licenses: v.licenses,
      devices: v.devices,
    })),
  }));
}

async function loadFacts(
  deps: AppDeps,
  actor: Actor,
  state: JourneyState,
  accounts: Promise<AccountChoice[]>,
): Promise<JourneyFacts> {
  const source = state.source
    ? await deps.store.accounts.findSmartAccount(state.source.smartAccount)
    : undefined;
  const destination = state.destination
    ? await deps.store.accounts.findSmartAccount(state.destination.smartAccount)
    : undefined;
  const partner =
    source !== undefined && destination !== undefined && isPartnerFor(actor, source, destination);
  const [sourceEntity, destinationEntity] =
    source?.legalEntityId != null && destination?.legalEntityId != null
      ? await Promise.all([
          deps.store.accounts.findLegalEntity(source.legalEntityId),
          deps.store.accounts.findLegalEntity(destination.legalEntityId),
        ])
      : [];
  const sourceAdmins = partner ? await deps.store.users.adminsOf(source.id) : [];
  // The transferee answered before is not offered as transferor: two people consent.
  const transfereeId =
    sourceAdmins.find((u) => state.transferee !== undefined && fold(u.email) === fold(state.transferee))
      ?.id ?? null;
  const transferors = partner ? transferorCandidates(actor.userId, source, sourceAdmins, transfereeId) : [];
  return {
    accounts: await accounts,
    partner,
    transfereeCandidates: state.destination
      ? await transfereeCandidates(deps, actor, state.destination.smartAccount)
      : [],
    transferorCandidates: transferors.map((a) => ({ name: a.name, email: a.email })),
    ...(source?.legalEntityId != null && destination?.legalEntityId != null
      ? { sameLegalEntity: source.legalEntityId === destination.legalEntityId }
      : {}),
    ...(sourceEntity && destinationEntity
      ? {
          legalEntities: {
            source: { id: sourceEntity.id, name: sourceEntity.name },
            destination: { id: destinationEntity.id, name: destinationEntity.name },
          },
        }
      : {}),
  };
}
