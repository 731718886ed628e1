import type { Command, CommandWord, NewOption, NewRequest } from '../commands/command.js';
import { missingFormOptions } from '../commands/new-command.js';
import type { MarkChange } from './failure.js';
import { checkNamedAccount, isAdminOf } from '../domain/permissions.js';
import type { Status } from '../domain/status.js';
import type { Actor, Refusal } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import type { CatalogKey, Reader } from '../i18n/index.js';
import { msg, type Msg } from '../i18n/msg.js';
import { cancelLoaded, consentLoaded, screenLoaded, submitLoaded, type Decided } from './actions.js';
import { retryLoaded } from './retry.js';
import type { AppDeps } from './deps.js';
import type { CardCopy } from './ports/outbox.js';
import { exportedNotice, exportWorkbook } from './export.js';
import { findAccounts, type AccountSummary, type TransferRowView } from './queries.js';
import { list } from './landing-page.js';
import { listAssets, type AssetList } from './asset-list.js';
import { afterRetry, nextAfterReview, nextAfterSubmit } from './next-steps.js';
import { guide, type Guide } from './guides.js';
import type { JourneyState } from './journey/journey.js';
import { requestOpening, type DraftOffer } from './journey/in-progress.js';
import { requestTransfer, type RequestInput } from './request.js';
import { changeRole } from './roles.js';
import { expandAssets, type ReviewSummary } from './selection.js';
import { notFound, type Result } from './run.js';
import type { TransferView } from './views.js';
import { loadTransferView, transferViewOf } from './load-view.js';

/** What a command answers, for every surface to render its own way. */
export type Reply =
  | { kind: 'help'; topic?: CommandWord }
  | { kind: 'guide'; guide: Guide }
  | {
      kind: 'accounts';
      accounts: AccountSummary[];
      query?: string;
      /** Matching accounts beyond those listed: each surface says how many (`core:accounts.more`). */
      more: number;
    }
  | { kind: 'assets'; list: AssetList }
  | {
      kind: 'wizard';
      state: JourneyState;
      missing: NewOption[];
      /** The person's draft in progress on this surface is replaced by this one: to be said. */
      replaces?: true;
    }
  /** `new` alone, with a request in progress: Continue it, or Start over. */
  | { kind: 'draftOffer'; offer: DraftOffer }
  | {
      kind: 'transfer';
      view: TransferView;
      notice?: Msg;
      warnings?: Msg[];
      /** What `warnings` are when they are not warnings: the items a retry still could not move. */
      warningsTitle?: Msg;
      /** The decision was the actor's own, recorded already: who decided, when, and the status now (see Decided). */
      repeated?: Refusal;
      /** A request made of whole selections: what they took in, per kind and Virtual Account, and what they left out. */
      selection?: ReviewSummary;
    }
  | {
      kind: 'transfers';
      rows: TransferRowView[];
      smartAccount?: string;
      status?: Status;
      /** The command's `before:` for the next (older) page, when there is one. */
      older?: string;
      /** The command's `after:` for the previous (newer) page, when there is one. */
      newer?: string;
      /** What an empty page says: no transaction yet, none with the status asked, or none on this page. */
      empty?: Msg;
      /** Without an account, every transaction (a compliance officer's or licensing operations' list). */
      everyTransaction?: boolean;
    }
  | { kind: 'file'; path: string; name: string; notice: Msg }
  | { kind: 'done'; message: Msg }
  | { kind: 'refused'; refusal: Refusal };

const refusedReply = (refusal: Refusal): Reply => ({ kind: 'refused', refusal });

/** What a surface knows of the person beyond the database: how they read, as identify resolved it. */
export interface DispatchOptions {
  reader?: Reader | undefined;
  /**
   * A consent or compliance decision taken on a posted card that the surface redraws itself as it answers
   * the click: the refresh of every copy leaves this one alone, so it is updated once.
   */
  redrawn?: CardCopy | undefined;
  /**
   * The posted card a decision was clicked on, when the surface leaves it to the refresh of every copy
   * (it is not `redrawn`): what the click saw, so a refusal may speak of that card (see
   * complianceCardShownTo). A `redrawn` card counts as the one clicked.
   */
  clicked?: CardCopy | undefined;
  /**
   * The surface answers a consent or compliance decision with the decision card clicked, drawn from the
   * reply's view: the view is read without the transfer's history, which a decision card does not show.
   */
  onCard?: boolean;
  /**
   * Told as soon as the command's change has committed (with its transaction's id when it names one),
   * before the result is read back and drawn: a failure after it is told as done, not as nothing changed
   * (`failureMessage`).
   */
  changed?: MarkChange | undefined;
}

/** The one entry point every surface calls with a parsed command and the actor as the database knows them. */
export async function dispatch(
  deps: AppDeps,
  actor: Actor,
  command: Command,
  options: DispatchOptions = {},
): Promise<Reply> {
  // A change's result, once committed, is told to the surface before anything else is read.
  const committed = <T extends { state: { id: string } }>(result: Result<T>): Result<T> => {
    if (result.ok) options.changed?.(result.value.state.id);
    return result;
  };
  switch (command.type) {
    case 'help':
      return command.topic ? { kind: 'help', topic: command.topic } : { kind: 'help' };
    case 'guide':
      return { kind: 'guide', guide: guide(command.topic, deps.config.supportContact) };
    case 'accounts': {
      const { accounts, more } = await findAccounts(deps, actor, command.query);
      return command.query
        ? { kind: 'accounts', accounts, query: command.query, more }
        : { kind: 'accounts', accounts, more };
    }
    case 'assets': {
      const search = (tab: 'licenses' | 'devices') =>
        listAssets(deps, actor, command.account, tab, command.query);
      let result = await search(command.tab ?? 'licenses');
      // No kind named and no license matches (a serial number searched, or an account of devices only):
      // the devices that do.
      if (command.tab === undefined && result.ok && result.value.rows.length === 0) {
        const devices = await search('devices');
        if (devices.ok && devices.value.rows.length > 0) result = devices;
      }
      return result.ok ? { kind: 'assets', list: result.value } : refusedReply(result.refusal);
    }
    case 'new':
      // A path names a file on the console's machine: in chat, the file is attached to the message.
      if ((command.complete ? command.request : command.prefill).assetsFile !== undefined)
        return refusedReply(refuse('invalid', 'core:referenceFile.attachInChat'));
      if (!command.complete) {
        const opening = await requestOpening(deps, actor, command.prefill);
        if (!opening.ok) return refusedReply(opening.refusal);
        if (opening.value.kind === 'offer') return { kind: 'draftOffer', offer: opening.value.offer };
        const { state, replaces } = opening.value;
        return replaces
          ? { kind: 'wizard', state, missing: command.missing, replaces }
          : { kind: 'wizard', state, missing: command.missing };
      }
      return newOrForm(deps, actor, command.request, options.changed);
    case 'list':
      return list(deps, actor, command);
    case 'show': {
      const view = await loadTransferView(deps, command.transactionId, actor);
      if (!view) return refusedReply(notFound(command.transactionId));
      return { kind: 'transfer', view };
    }
    case 'submit': {
      const reply = await afterChange(
        deps,
        actor,
        committed(await submitLoaded(deps, actor, command.transactionId)),
      );
      // The requester hears what happens next and who is asked.
      const next = reply.kind === 'transfer' ? nextAfterSubmit(reply.view) : null;
      return next && reply.kind === 'transfer' ? { ...reply, notice: next } : reply;
    }
    case 'cancel':
      return afterChange(deps, actor, committed(await cancelLoaded(deps, actor, command.transactionId)));
    case 'consent':
    case 'screen': {
      const { transactionId, decision, reason } = command;
      const { redrawn, clicked } = options;
      const result =
        command.type === 'consent'
          ? await consentLoaded(deps, actor, transactionId, decision, reason ?? null, redrawn)
          : await screenLoaded(deps, actor, transactionId, decision, reason ?? null, redrawn, clicked);
      const notice: CatalogKey | undefined =
        command.type === 'screen'
          ? undefined
          : decision === 'approve'
            ? 'core:reply.consentApproved'
            : 'core:reply.consentRejected';
      return afterChange(deps, actor, committed(result), notice, options.onCard);
    }
    case 'retry': {
      const result = committed(await retryLoaded(deps, actor, command.transactionId));
      const reply = await afterChange(deps, actor, result);
      // The operator hears how many of the failed items moved, and which still fail and why.
      if (!result.ok || !result.value.retried) return reply;
      const said = afterRetry(result.value.state, result.value.retried);
      return reply.kind === 'transfer' ? { ...reply, ...said } : { kind: 'done', message: said.notice };
    }
    case 'export': {
      // The file is written for its reader: as the surface resolved them, else as the inventory knows them.
      const result = await exportWorkbook(deps, actor, command.target, { reader: options.reader });
      if (!result.ok) return refusedReply(result.refusal);
      const { path, name } = result.value;
      return {
        kind: 'file',
        path,
        name,
        notice: exportedNotice(result.value),
      };
    }
    case 'use': {
      const sa = await deps.store.accounts.findSmartAccount(command.smartAccount);
      const hidden = checkNamedAccount(actor, sa ?? command.smartAccount, (id) => isAdminOf(actor, id));
      if (hidden || !sa) return refusedReply(hidden!);
      await deps.store.users.setCurrentSmartAccount(actor.userId, sa.id);
      options.changed?.();
      return { kind: 'done', message: msg('core:reply.using', { account: sa.domain, accountName: sa.name }) };
    }
    case 'grant':
    case 'revoke': {
      const result = await changeRole(deps, actor, command.type, command.target);
      if (!result.ok) return refusedReply(result.refusal);
      if (result.value.changed) options.changed?.();
      return { kind: 'done', message: result.value.message };
    }
  }
}

/** Makes a request; `changed` is told its transaction's id once it is recorded (see `DispatchOptions`). */
export async function request(
  deps: AppDeps,
  actor: Actor,
  input: RequestInput,
  changed?: MarkChange,
): Promise<Reply> {
  const result = await requestTransfer(deps, actor, input);
  if (!result.ok) return refusedReply(result.refusal);
  changed?.(result.value.state.id);
  const view = await loadTransferView(deps, result.value.state.id, actor);
  if (!view) return refusedReply(notFound(result.value.state.id));
  return {
    kind: 'transfer',
    view,
    notice:
      (await nextAfterReview(deps, view)) ??
      msg('core:reply.requested', { id: view.id, status: view.status }),
    warnings: result.value.warnings,
  };
}

/**
 * The one-line `new` given whole. Said to be within one company between two legal entities (the inventory
 * has the last word) and without the form's answers, it opens the wizard prefilled with what was given,
 * at the form, as a line that left them out does.
 */
async function newOrForm(
  deps: AppDeps,
  actor: Actor,
  input: NewRequest,
  changed?: MarkChange,
): Promise<Reply> {
  const reply = await newRequest(deps, actor, input, changed);
  if (reply.kind !== 'refused' || reply.refusal.message.key !== 'core:refusal.formIncomplete') return reply;
  const opening = await requestOpening(deps, actor, input);
  if (!opening.ok || opening.value.kind !== 'journey') return reply;
  const { state, replaces } = opening.value;
  const missing = missingFormOptions(input);
  return replaces ? { kind: 'wizard', state, missing, replaces } : { kind: 'wizard', state, missing };
}

/**
 * The one-line `new`. Whole selections (`ALL`, `VA:NAME`) are expanded as the wizard's review expands
 * them, and the reply says what they took in and left out.
 */
async function newRequest(
  deps: AppDeps,
  actor: Actor,
  input: NewRequest,
  changed?: MarkChange,
): Promise<Reply> {
  const { whole, ...named } = input;
  if (whole === undefined || whole.length === 0) return request(deps, actor, named, changed);
  const expanded = await expandAssets(deps, actor, named, { refs: named.assets, whole });
  if (!expanded.ok)
    return refusedReply({
      code: 'invalid',
      message: expanded.error,
      ...(expanded.details.length > 0 ? { details: expanded.details } : {}),
    });
  const reply = await request(deps, actor, { ...named, assets: expanded.expanded.refs }, changed);
  return reply.kind === 'transfer' ? { ...reply, selection: expanded.expanded.review } : reply;
}

/**
 * After a decision: the transfer as the actor now sees it, with a line saying where it stands. Its row and
 * state are the decision's transaction's last read (not read a second time); its items and history are
 * read after the commit, so a decision committed in between may show in them, never one rolled back.
 */
export async function afterChange(
  deps: AppDeps,
  actor: Actor,
  result: Result<Decided>,
  noticeKey: CatalogKey = 'core:reply.statusNow',
  onCard = false,
): Promise<Reply> {
  if (!result.ok) return refusedReply(result.refusal);
  const { state, repeated } = result.value;
  const view = await transferViewOf(deps.store, result.value, actor, !onCard);
  const notice = msg(noticeKey, { id: state.id, status: state.status });
  if (!view) return { kind: 'done', message: notice };
  return repeated ? { kind: 'transfer', view, notice, repeated } : { kind: 'transfer', view, notice };
}
