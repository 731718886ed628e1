import type { Status } from '../domain/status.js';
import { translate } from '../i18n/index.js';
import type { AppDeps } from './deps.js';
import { DELIVERY_ACTIONS, historyEntryText, REMINDER_ACTIONS } from './history-text.js';
import type { ItemRow } from './ports/transfers.js';
import { refuse } from '../domain/types.js';
import { okResult, refused, type Result } from './run.js';
import { mayStillAnswer } from '../domain/consent-awaited.js';
import { consentsAsRead } from './consents-read.js';
import {
  namedTransferorOf,
  personOf,
  screeningDecision,
  toItemView,
  transferVirtualAccountIds,
  type HistoryView,
  type ItemView,
  type PersonView,
  type TransferView,
} from './views.js';

/** What `transfer-bot show ID --json` prints for one transfer (and `list --json`, without the history). */
export type TransferJson = Record<string, unknown>;

/** What both JSON forms are built from: a transfer's view, or a listed row with its people looked up. */
type JsonSource = Pick<
  TransferView,
  | 'id'
  | 'status'
  | 'sameLegalEntity'
  | 'destinationVirtualAccount'
  | 'requester'
  | 'transferee'
  | 'namedTransferor'
  | 'justification'
  | 'createdAt'
  | 'submittedAt'
  | 'completedAt'
> & {
  source: string;
  destination: string;
  consents: {
    role: 'transferee' | 'transferor';
    person: PersonView;
    decision: 'approved' | 'rejected' | null;
    decidedByPerson: PersonView | null;
    decidedAt: Date | null;
    reason: string | null;
    mayAnswer: boolean;
  }[];
  screening: {
    decision: 'approved' | 'rejected';
    by: PersonView | null;
    at: Date;
    reason: string | null;
  } | null;
};

const personJson = (p: PersonView | null) => (p ? { email: p.email, name: p.name } : null);
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The fields every transfer's JSON has; reasons in English, for scripts that read them. */
function baseJson(transfer: JsonSource, items: readonly ItemView[]): TransferJson {
  const consents = consentsAsRead(transfer);
  const transferors = transfer.consents.filter((c) => c.role === 'transferor');
  const transferor =
    transferors.find((c) => c.decidedByPerson)?.decidedByPerson ??
    (transferors.length === 1 ? transferors[0]!.person : null) ??
    transfer.namedTransferor;
  return {
    id: transfer.id,
    status: transfer.status,
    sourceSmartAccount: transfer.source,
    destinationSmartAccount: transfer.destination,
    destinationVirtualAccount: transfer.destinationVirtualAccount,
    sameLegalEntity: transfer.sameLegalEntity,
    requester: personJson(transfer.requester),
    transferee: personJson(transfer.transferee),
    transferor: personJson(transferor),
    justification: transfer.justification,
    createdAt: iso(transfer.createdAt),
    submittedAt: iso(transfer.submittedAt),
    completedAt: iso(transfer.completedAt),
    consents: consents.map((c) => ({
      role: c.role,
      email: c.person.email,
      decision: c.decision,
      at: iso(c.decidedAt),
      reason: c.reason,
      // Unanswered: whether the person asked may still answer (not once they lost the role it takes, nor
      // once the transfer moved on without their answer).
      canAnswer: c.decision === null ? mayStillAnswer(transfer.status, c) : null,
    })),
    compliance: transfer.screening
      ? {
          decision: transfer.screening.decision,
          by: personJson(transfer.screening.by),
          at: iso(transfer.screening.at),
          reason: transfer.screening.reason,
        }
      : null,
    items: items.map((item) => ({
      ref: item.ref,
      kind: item.kind,
      result: item.result,
      // When the item moved, as the Excel file's item sheet says it: null until it has.
      movedAt: iso(item.movedAt),
      reason: item.reason ? translate('en', item.reason.key, item.reason.params) : null,
    })),
  };
}

/** One transfer with its history. */
export function transferJson(view: TransferView): TransferJson {
  return {
    ...baseJson(
      {
        ...view,
        source: view.source.domain,
        destination: view.destination.domain,
        screening: view.screening ? { ...view.screening, by: view.screening.byPerson } : null,
      },
      view.items,
    ),
    // `action` and `surface` tell the rows that change no status apart: a consent given while another is
    // awaited, a reminder, a refused attempt, a message that could not be delivered.
    history: view.history.map((entry) => ({
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      surface: entry.surface,
      from: entry.from,
      to: entry.to,
      reason: historyReason(entry),
      // A refused attempt's kind, for scripts (`wrong_status`, `forbidden`, …); its reason says it in words.
      code: isRefused(entry) ? entry.reason : null,
    })),
  };
}

const isRefused = (entry: HistoryView) => entry.action.startsWith('refused.');

/**
 * A history row's reason for auditors. A message that could not be delivered says which message it was
 * and to whom, in the words the console and the Excel history use; a failed one keeps the transport's error.
 */
function historyReason(entry: HistoryView): string | null {
  // A refused attempt says why in the words of the Excel file's history ("not possible in this status").
  if (isRefused(entry)) return historyEntryText('en', entry).reason ?? entry.reason;
  // A reminder records no reason of its own: it says who was reminded, or which administrators were told.
  if ((REMINDER_ACTIONS as readonly string[]).includes(entry.action))
    return entry.reason ?? historyEntryText('en', entry).what;
  if (!(DELIVERY_ACTIONS as readonly string[]).includes(entry.action)) return entry.reason;
  const what = historyEntryText('en', entry).what;
  if (entry.action !== 'delivery.failed' || entry.reason === null) return what;
  // Recorded as `recipient: error` (`card copies: error` for the copies of a decision card).
  const recipient = entry.details?.['recipient'];
  const prefix = `${typeof recipient === 'string' ? recipient : 'card copies'}: `;
  const error = entry.reason.startsWith(prefix) ? entry.reason.slice(prefix.length) : entry.reason;
  return `${what} (${error})`;
}

/**
 * Every transfer touching a Smart Account (or all of them), newest first, with their items. The operator at
 * the command line sees everything; the rows and their items are read in a few statements, not one per row.
 */
export async function transferListJson(
  deps: Pick<AppDeps, 'store'>,
  filter: { smartAccount?: string | undefined; status?: Status | undefined; limit: number },
): Promise<Result<TransferJson[]>> {
  const { store } = deps;
  let smartAccountIds: number[] | 'all' = 'all';
  // `--smart-account ""` names no account: it is refused like any unknown one, not read as every account.
  if (filter.smartAccount !== undefined) {
    const account = await store.accounts.findSmartAccount(filter.smartAccount);
    if (!account)
      return refused(refuse('invalid', 'core:refusal.unknownAccount', { domain: filter.smartAccount }));
    smartAccountIds = [account.id];
  }
  const rows = await store.transfers.list({ smartAccountIds, status: filter.status, limit: filter.limit });
  const ids = rows.map((row) => row.id);
  const [accounts, vas, items, consents] = await Promise.all([
    store.accounts.smartAccountsByIds(
      rows.flatMap((row) => [row.sourceSmartAccountId, row.destinationSmartAccountId]),
    ),
    store.accounts.virtualAccountsByIds(transferVirtualAccountIds(rows)),
    store.transfers.itemsOf(ids),
    store.transfers.consentsOf(ids),
  ]);
  const people = await store.users.findUsersByIds([
    ...new Set(
      rows.flatMap((row) => [
        row.requesterId,
        ...(row.transfereeId !== null ? [row.transfereeId] : []),
        ...(row.transferorId !== null ? [row.transferorId] : []),
        ...(row.screenedById !== null ? [row.screenedById] : []),
        ...(consents.get(row.id) ?? []).map((c) => c.userId),
      ]),
    ),
  ]);
  const person = personOf(people);
  const itemsOf = new Map<string, ItemRow[]>();
  for (const item of items) {
    const list = itemsOf.get(item.transferId);
    if (list) list.push(item);
    else itemsOf.set(item.transferId, [item]);
  }
  const domain = (id: number) => accounts.get(id)?.domain ?? String(id);
  return okResult(
    rows.map((row) =>
      baseJson(
        {
          id: row.id,
          status: row.status,
          sameLegalEntity: row.sameLegalEntity,
          source: domain(row.sourceSmartAccountId),
          destination: domain(row.destinationSmartAccountId),
          destinationVirtualAccount: vas.get(row.destinationVirtualAccountId)?.name ?? '',
          requester: person(row.requesterId),
          transferee: row.transfereeId !== null ? person(row.transfereeId) : null,
          namedTransferor: namedTransferorOf(row, consents.get(row.id) ?? [], person),
          justification: row.justification,
          createdAt: row.createdAt,
          submittedAt: row.submittedAt,
          completedAt: row.completedAt,
          consents: (consents.get(row.id) ?? []).map((c) => ({
            role: c.role,
            person: person(c.userId),
            decision: c.decision,
            decidedByPerson: c.decidedById !== null ? person(c.decidedById) : null,
            decidedAt: c.decidedAt,
            reason: c.reason,
            mayAnswer: c.mayAnswer,
          })),
          screening:
            row.screenedAt !== null
              ? {
                  decision: screeningDecision(row.status),
                  by: row.screenedById !== null ? person(row.screenedById) : null,
                  at: row.screenedAt,
                  reason: row.screeningReason,
                }
              : null,
        },
        (itemsOf.get(row.id) ?? []).map((item) => toItemView(item)),
      ),
    ),
  );
}
