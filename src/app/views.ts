import { smartAccountsByIds, virtualAccountsByIds } from '../../db/accounts-repo.js';
import type { Q } from '../../db/client.js';
import { loadHistory, loadItems, loadTransferState, type TransferRow } from '../../db/transfers-repo.js';
import { findUsersByIds } from '../../db/users-repo.js';
import { allowedActions, canView, type TransferAction } from '../domain/permissions.js';
import type { Status } from '../domain/status.js';
import type { Actor, ItemResult, TransferState } from '../domain/types.js';
import { translate } from '../i18n/index.js';
import type { Msg } from '../i18n/msg.js';

/**
 * One view model, several renderers (STYLE.md): the core describes a transfer for one viewer —
 * including the actions that viewer may take — and Slack, Teams, the console and the export draw it.
 */
export interface PersonView {
  id: number;
  name: string;
  email: string;
}

export interface AccountView {
  domain: string;
  name: string;
}

export interface ItemView {
  id: number;
  ref: string;
  kind: 'license' | 'device';
  pid: string | null;
  quantity: number | null;
  description: string | null;
  result: ItemResult;
  reason: Msg | null;
  warnings: Msg[];
}

export interface HistoryView {
  at: Date;
  actor: string;
  surface: string;
  action: string;
  from: Status | null;
  to: Status | null;
  reason: string | null;
  reasonMsg: Msg | null;
}

export interface ConsentView {
  role: 'transferee' | 'transferor';
  person: PersonView;
  decision: 'approved' | 'rejected' | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  requestedAt?: Date;
}

export interface TransferView {
  id: string;
  status: Status;
  source: AccountView;
  sourceVirtualAccount: string | null;
  destination: AccountView;
  destinationVirtualAccount: string;
  sameLegalEntity: boolean;
  requestedByPartner: boolean;
  requester: PersonView;
  transferee: PersonView | null;
  justification: string | null;
  transfereeLegalName: string | null;
  transfereeAddress: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  completedAt: Date | null;
  consents: ConsentView[];
  screening: { by: string | null; at: Date; decision: 'approved' | 'rejected'; reason: string | null } | null;
  cancelReason: Msg | null;
  items: ItemView[];
  history: HistoryView[];
  /** What this viewer may do now; empty for a system view. */
  actions: TransferAction[];
}

/** The transfer as `viewer` may see it (every action allowed to nobody when there is no viewer: CLI). */
export async function loadTransferView(
  q: Q,
  id: string,
  viewer: Actor | null,
): Promise<TransferView | undefined> {
  return (await loadTransfer(q, id, viewer))?.view;
}

/** The transfer's state and its view for `viewer`, read once (for callers that need both). */
export async function loadTransfer(
  q: Q,
  id: string,
  viewer: Actor | null,
): Promise<{ state: TransferState; view: TransferView } | undefined> {
  const loaded = await loadTransferState(q, id);
  if (!loaded) return undefined;
  if (viewer && !canView(viewer, loaded.state)) return undefined;
  return { state: loaded.state, view: await buildView(q, loaded.row, loaded.state, viewer) };
}

async function buildView(
  q: Q,
  row: TransferRow,
  state: TransferState,
  viewer: Actor | null,
): Promise<TransferView> {
  const [items, history] = await Promise.all([loadItems(q, row.id), loadHistory(q, row.id)]);
  const people = await findUsersByIds(q, [
    row.requesterId,
    ...(row.transfereeId !== null ? [row.transfereeId] : []),
    ...state.consents.map((c) => c.userId),
  ]);
  const accounts = await smartAccountsByIds(q, [row.sourceSmartAccountId, row.destinationSmartAccountId]);
  const vas = await virtualAccountsByIds(q, [
    row.destinationVirtualAccountId,
    ...(row.sourceVirtualAccountId !== null ? [row.sourceVirtualAccountId] : []),
  ]);
  const person = (userId: number): PersonView => {
    const u = people.get(userId);
    return { id: userId, name: u?.name ?? String(userId), email: u?.email ?? '' };
  };
  const account = (saId: number): AccountView => {
    const sa = accounts.get(saId);
    return { domain: sa?.domain ?? String(saId), name: sa?.name ?? '' };
  };
  const itemViews: ItemView[] = items.map((i) => ({
    id: i.id,
    ref: i.ref,
    kind: i.kind,
    pid: i.pid,
    quantity: i.quantity,
    description: i.description,
    result: i.result,
    reason: i.reason ?? null,
    warnings: i.warnings,
  }));
  return {
    id: row.id,
    status: row.status,
    source: account(row.sourceSmartAccountId),
    sourceVirtualAccount:
      row.sourceVirtualAccountId !== null ? (vas.get(row.sourceVirtualAccountId)?.name ?? null) : null,
    destination: account(row.destinationSmartAccountId),
    destinationVirtualAccount: vas.get(row.destinationVirtualAccountId)?.name ?? '',
    sameLegalEntity: row.sameLegalEntity,
    requestedByPartner: row.requestedByPartner,
    requester: person(row.requesterId),
    transferee: row.transfereeId !== null ? person(row.transfereeId) : null,
    justification: row.justification,
    transfereeLegalName: row.transfereeLegalName,
    transfereeAddress: row.transfereeAddress,
    createdAt: row.createdAt,
    submittedAt: row.submittedAt,
    completedAt: row.completedAt,
    consents: state.consents.map((c) => ({
      role: c.role,
      person: person(c.userId),
      decision: c.decision,
      decidedBy: c.decidedByName,
      decidedAt: c.decidedAt,
      reason: c.reason,
    })),
    screening:
      row.screenedAt !== null
        ? {
            by: state.screenedByName,
            at: row.screenedAt,
            decision: row.status === 'compliance_rejected' ? 'rejected' : 'approved',
            reason: row.screeningReason,
          }
        : null,
    cancelReason: row.cancelReason ?? null,
    items: itemViews,
    history: history.map((h) => ({
      at: h.at,
      actor: h.actor,
      surface: h.surface,
      action: h.action,
      from: h.fromStatus,
      to: h.toStatus,
      reason: h.reason,
      reasonMsg: (h.details?.reasonMsg as Msg | undefined) ?? null,
    })),
    actions: viewer
      ? allowedActions(
          viewer,
          state,
          itemViews.some((i) => i.result === 'failed'),
        )
      : [],
  };
}

/** INTERFACES §1: the JSON of `transfer-bot show ID --json` (and, without history, of `list --json`). */
export function transferJson(v: TransferView, withHistory = true): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: v.id,
    status: v.status,
    sourceSmartAccount: v.source.domain,
    destinationSmartAccount: v.destination.domain,
    destinationVirtualAccount: v.destinationVirtualAccount,
    sameLegalEntity: v.sameLegalEntity,
    items: v.items.map((i) => ({
      ref: i.ref,
      kind: i.kind,
      result: i.result,
      reason: i.reason ? translate('en', i.reason.key, i.reason.params) : null,
    })),
  };
  if (withHistory) {
    base.history = v.history.map((h) => ({
      at: h.at.toISOString(),
      actor: h.actor,
      from: h.from,
      to: h.to,
      reason: h.reason,
    }));
  }
  return base;
}
