import { unansweredConsent, type UnansweredConsent } from '../domain/consent-awaited.js';
import type { Status } from '../domain/status.js';
import { consentsAsTold, type ConsentView } from './views.js';

/** A consent as told, with where it stands while unanswered (null once answered). */
export type ConsentAsRead<C> = C & { unanswered: UnansweredConsent | null };

/**
 * The consents of a transfer as every surface tells them (see consentsAsTold), each unanswered one saying
 * whether it is still awaited, its person can no longer answer, or the transfer moved on without it: the
 * same for `show` on Slack, Teams and the console, the cards, the Excel file and `show --json`.
 */
export function consentsAsRead<
  C extends Pick<ConsentView, 'role' | 'decision' | 'person' | 'decidedByPerson' | 'mayAnswer'>,
>(transfer: { status: Status; consents: readonly C[] }): ConsentAsRead<C>[] {
  return consentsAsTold(transfer.consents).map((consent) => ({
    ...consent,
    unanswered: unansweredConsent(transfer.status, consent),
  }));
}
