import type { NewPrefill } from '../../commands/command.js';
import { checkRequestAccounts, type NamedAccount } from '../../domain/permissions.js';
import type { Actor } from '../../domain/types.js';
import type { AppDeps } from '../deps.js';
import type { Result } from '../run.js';
import { journeyFromPrefill, type JourneyState } from './journey.js';

/**
 * The journey a `new …` line opens, holding what the line gave, or the refusal the whole line would get
 * for the Smart Accounts it names: the requester must be an admin of each (`checkRequestAccounts`, as for
 * a whole request). Every surface opens the wizard through here, so none opens it on an account its
 * requester may not use, to ask for a transferee nobody can name.
 */
export async function openingJourney(
  deps: AppDeps,
  actor: Actor,
  prefill: NewPrefill,
): Promise<Result<JourneyState>> {
  const named: NamedAccount[] = [];
  for (const account of [prefill.source, prefill.destination]) {
    // Who may not use an account learns nothing more, not even whether it exists.
    if (account)
      named.push((await deps.store.accounts.findSmartAccount(account.smartAccount)) ?? account.smartAccount);
  }
  const refusal = checkRequestAccounts(actor, named);
  return refusal ? { ok: false, refusal } : { ok: true, value: journeyFromPrefill(prefill) };
}
