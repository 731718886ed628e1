import { submitTransfer } from '../../src/app/actions.js';
import type { AppDeps } from '../../src/app/deps.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { actor, EMAILS, type Name } from './world.js';

/**
 * A transfer from fr-a.example to the Belgian affiliate, submitted: it waits for the transferee's
 * consent (and the transferor's when a partner asks). Returns its id.
 */
export async function awaitingConsent(
  deps: AppDeps,
  ref: string,
  options: { requester?: Name; transferee?: Name } = {},
): Promise<string> {
  const requester = await actor(deps.db, options.requester ?? 'alice');
  const asset = parseAssetRef(ref);
  if (!asset) throw new Error(`bad ref ${ref}`);
  const requested = await requestTransfer(deps, requester, {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
    assets: [asset],
    sameCompany: false,
    transferee: EMAILS[options.transferee ?? 'bob'],
    justification: 'Moving the Brussels office equipment',
    termsAccepted: true,
  });
  if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
  const submitted = await submitTransfer(deps, requester, requested.value.state.id);
  if (!submitted.ok || submitted.value.status !== 'awaiting_consent')
    throw new Error('submit did not reach awaiting_consent');
  return submitted.value.id;
}

/** A transfer validated and left in Pending Submission (same company: no consent needed later). */
export async function pendingSubmission(
  deps: AppDeps,
  ref: string,
  requesterName: Name = 'alice',
): Promise<string> {
  const requester = await actor(deps.db, requesterName);
  const asset = parseAssetRef(ref);
  if (!asset) throw new Error(`bad ref ${ref}`);
  const requested = await requestTransfer(deps, requester, {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
    assets: [asset],
    sameCompany: true,
  });
  if (!requested.ok || requested.value.state.status !== 'pending_submission')
    throw new Error('request did not reach pending_submission');
  return requested.value.state.id;
}
