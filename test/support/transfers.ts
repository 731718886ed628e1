import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { history, transfers } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import type { AppDeps } from '../../src/app/deps.js';
import { requestTransfer, type RequestInput } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { actorIn, EMAILS, type Name } from './world.js';

function assetRef(ref: string) {
  const asset = parseAssetRef(ref);
  if (!asset) throw new Error(`bad ref ${ref}`);
  return asset;
}

/** A request from fr-a.example to the Belgian affiliate (another legal entity), Bob named transferee. */
export function toBelgium(
  ref: string,
  justification = 'Brussels office move',
  transferee: Name = 'bob',
): RequestInput {
  return {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
    assets: [assetRef(ref)],
    sameCompany: false,
    transferee: EMAILS[transferee],
    justification,
    termsAccepted: true,
  };
}

/** A request from fr-a.example to fr-b.example, another site of the same company. */
export function toParis(ref: string): RequestInput {
  return {
    source: { smartAccount: 'fr-a.example' },
    destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
    assets: [assetRef(ref)],
    sameCompany: true,
  };
}

/**
 * A transfer from fr-a.example to the Belgian affiliate, submitted: it waits for the transferee's
 * consent (and the transferor's when a partner asks: the one named, else every eligible one). Returns its id.
 */
export async function awaitingConsent(
  deps: AppDeps,
  ref: string,
  options: { requester?: Name; transferee?: Name; transferor?: Name } = {},
): Promise<string> {
  const requester = await actorIn(deps, options.requester ?? 'alice');
  const requested = await requestTransfer(deps, requester, {
    ...toBelgium(ref, 'Moving the Brussels office equipment', options.transferee),
    ...(options.transferor ? { transferor: EMAILS[options.transferor] } : {}),
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
  const requester = await actorIn(deps, requesterName);
  const requested = await requestTransfer(deps, requester, toParis(ref));
  if (!requested.ok || requested.value.state.status !== 'pending_submission')
    throw new Error('request did not reach pending_submission');
  return requested.value.state.id;
}

/** The status a transfer is in now, as the database has it. */
export async function statusOf(db: Db, id: string) {
  const [row] = await db.select({ status: transfers.status }).from(transfers).where(eq(transfers.id, id));
  return row?.status;
}

/** A transfer's record, or only the rows of one action (`consent.approve`, `refused.…`). */
export function historyOf(db: Db, id: string, action?: string) {
  return db
    .select()
    .from(history)
    .where(
      action === undefined
        ? eq(history.transferId, id)
        : and(eq(history.transferId, id), eq(history.action, action)),
    );
}
