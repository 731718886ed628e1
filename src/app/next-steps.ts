import { transferorCandidates } from '../domain/consenters.js';
import { keyParam, listParam, msg, type Msg } from '../i18n/msg.js';
import type { RetryOutcome } from './retry.js';
import type { AppDeps } from './deps.js';
import type { TransferView } from './views.js';

/** People named in a sentence, joined as the reader's language joins a list (`{{transferors, list}}`). */
const names = (people: readonly { name: string }[]) => listParam(people.map((p) => p.name));

/**
 * What happens next and who is asked, said to the requester right after Submit for Review: the status,
 * then Submit for Transfer, then whose consent (a partner's transferor named, or every eligible one).
 */
export async function nextAfterReview(deps: Pick<AppDeps, 'store'>, view: TransferView): Promise<Msg | null> {
  if (view.status !== 'pending_submission') return null;
  const base = { id: view.id, status: view.status };
  if (view.sameLegalEntity)
    return msg('core:reply.requestedNext', { ...base, nextKey: keyParam('core:next.review.sameCompany') });
  const transfereeName = view.transferee?.name ?? '';
  if (!view.requestedByPartner)
    return msg('core:reply.requestedNext', {
      ...base,
      nextKey: keyParam('core:next.review.consent'),
      transfereeName,
    });
  const { store } = deps;
  const row = await store.transfers.loadRow(view.id);
  const source = await store.accounts.findSmartAccount(view.source.domain);
  if (!row || !source) return null;
  const eligible = transferorCandidates(
    row.requesterId,
    source,
    await store.users.adminsOf(source.id),
    row.transfereeId,
  );
  const named = eligible.find((u) => u.id === row.transferorId);
  return named
    ? msg('core:reply.requestedNext', {
        ...base,
        nextKey: keyParam('core:next.review.partnerNamed'),
        transfereeName,
        transferors: named.name,
      })
    : msg('core:reply.requestedNext', {
        ...base,
        nextKey: keyParam('core:next.review.partnerAny'),
        transfereeName,
        transferors: names(eligible),
      });
}

/**
 * What happens next and who is asked, said to the requester right after Submit for Transfer: between
 * legal entities, whose consent is asked now and that the assets move only once compliance approves;
 * within one company, that the transfer has run (and, when items failed, that licensing operations can
 * retry them).
 */
export function nextAfterSubmit(view: TransferView): Msg | null {
  const base = { id: view.id, status: view.status };
  if (view.sameLegalEntity) {
    if (view.status === 'transfer_completed')
      return msg('core:reply.withNext', { ...base, nextKey: keyParam('core:next.submitted.sameCompany') });
    if (view.status === 'transfer_completed_with_failure')
      return msg('core:reply.withNext', {
        ...base,
        // Every item failed: nothing moved, and the requester is not told the transfer has run.
        nextKey: view.items.some((i) => i.result === 'transferred')
          ? keyParam('core:next.submitted.sameCompanyWithFailure')
          : keyParam('core:next.submitted.sameCompanyNoneMoved'),
      });
    return null;
  }
  if (view.status !== 'awaiting_consent') return null;
  const asked = (role: 'transferee' | 'transferor') =>
    view.consents.filter((c) => c.role === role).map((c) => c.person);
  const transfereeName = names(asked('transferee'));
  const transferors = asked('transferor');
  if (transferors.length === 0)
    return msg('core:reply.withNext', {
      ...base,
      nextKey: keyParam('core:next.submitted.consent'),
      transfereeName,
    });
  return msg('core:reply.withNext', {
    ...base,
    nextKey: keyParam(
      transferors.length === 1 ? 'core:next.submitted.partner' : 'core:next.submitted.partnerAny',
    ),
    transfereeName,
    transferors: names(transferors),
  });
}

/** Still-failing items a retry's answer names one by one; the rest are counted (each reason is under `show`). */
export const STILL_FAILING_SHOWN = 20;

/**
 * What a retry came to, said to the licensing operator who ran it: the status, how many of the failed items
 * moved and how many still fail, then each one found already in the destination (counted as moved), and
 * each one still failing with its reason.
 */
export function afterRetry(
  view: Pick<TransferView, 'id' | 'status'>,
  retried: RetryOutcome,
): { notice: Msg; warnings: Msg[]; warningsTitle?: Msg } {
  const failed = retried.stillFailing.length;
  const notice = msg('core:reply.retried', {
    id: view.id,
    status: view.status,
    count: retried.tried,
    moved: retried.moved,
    failed,
  });
  // Items found already in the destination count as moved, and are named as such.
  const arrived = retried.arrived
    .slice(0, STILL_FAILING_SHOWN)
    .map((ref) => msg('core:retry.arrivedItem', { ref }));
  const warnings = retried.stillFailing
    .slice(0, STILL_FAILING_SHOWN)
    .map(({ ref, reason }) =>
      msg('core:retry.stillFailing', { ...reason.params, ref, reasonKey: keyParam(reason.key) }),
    );
  if (failed > STILL_FAILING_SHOWN)
    warnings.push(msg('core:retry.moreFailing', { count: failed - STILL_FAILING_SHOWN, id: view.id }));
  // Under one heading on a card: the failed items found in the destination, then those still failing.
  const listed = [...arrived, ...warnings];
  return listed.length > 0
    ? {
        notice,
        warnings: listed,
        warningsTitle: msg('core:retry.failedItemsTitle', { count: retried.arrived.length + failed }),
      }
    : { notice, warnings: listed };
}
