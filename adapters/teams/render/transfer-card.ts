import type { ReviewSummary } from '../../../src/app/selection.js';
import type { TransferView } from '../../../src/app/views.js';
import { labelled, type Msg } from '../../../src/i18n/index.js';
import {
  actionSet,
  adaptiveCard,
  brief,
  bullets,
  container,
  executeAction,
  fitCard,
  heading,
  showCardAction,
  submitAction,
  textBlock,
  textInput,
  type AdaptiveCard,
  type CardElement,
} from './card.js';
import { consentLines, historyLines, itemList, MAX_ITEMS_SHOWN, transferFacts } from './transfer-parts.js';
import type { Texts } from './texts.js';
import { MAX_TEXT_LENGTH } from '../../../src/domain/decide.js';

export interface TransferCardOptions {
  /** The viewer, to find which consent (transferee or transferor) their buttons answer. */
  viewerUserId: number;
  notice?: Msg | undefined;
  warnings?: Msg[] | undefined;
  /** The heading of `warnings` when they are not warnings (items a retry still could not move). */
  warningsTitle?: Msg | undefined;
  /** A refusal of the last click the person can act on here (a reason missing), shown by the inputs. */
  error?: string | undefined;
  /**
   * Why the last click did nothing: the transfer had moved past it since the card was drawn. Shown first,
   * above the transfer as it is now, as Slack and the console say it first.
   */
  outOfDate?: string | undefined;
  /** What whole selections took in and left out. */
  selection?: ReviewSummary | undefined;
  /** A consent Reject clicked without a reason: its button now confirms (see the decision card's). */
  confirmReject?: boolean | undefined;
}

/** Counts per kind and Virtual Account, then the assets left out with their reasons. */
export function selectionBlock(r: ReviewSummary, texts: Texts): CardElement {
  const lines = [
    texts.t('common:summary.assetCounts', { licenses: r.licenses, devices: r.devices }),
    ...r.perVirtualAccount.map((va) => texts.t('core:journey.review.perVirtualAccount', va)),
  ];
  const leftOut: CardElement[] = [];
  if (r.leftOutTotal > 0) {
    leftOut.push(
      textBlock(texts.t('core:journey.review.leftOut', { count: r.leftOutTotal }), { weight: 'Bolder' }),
    );
    const items = r.leftOut.map((item) =>
      labelled(texts.reader.locale, item.ref, texts.cardMsg(item.reason)),
    );
    if (r.leftOutTotal > r.leftOut.length)
      items.push(texts.t('core:journey.review.leftOutMore', { count: r.leftOutTotal - r.leftOut.length }));
    leftOut.push(...bullets(items));
  }
  return container([
    textBlock(texts.t('core:journey.review.title'), { weight: 'Bolder' }),
    ...bullets(lines),
    ...leftOut,
  ]);
}

function decisionInputs(
  view: TransferView,
  texts: Texts,
  viewerUserId: number,
  confirmReject = false,
): { inputs: CardElement[]; actions: CardElement[] } {
  const inputs: CardElement[] = [];
  const actions: CardElement[] = [];
  const mine = view.consents.find((c) => c.person.id === viewerUserId && c.decision === null);
  const asks: { approve: string; reject: string; decision: string; required: boolean }[] = [];
  if (view.actions.includes('consent') && mine) {
    asks.push({
      approve: 'consent_approve',
      reject: 'consent_reject',
      decision: `consent:${mine.role}`,
      required: false,
    });
  }
  if (view.actions.includes('screen')) {
    asks.push({
      approve: 'compliance_approve',
      reject: 'compliance_reject',
      decision: 'compliance',
      required: true,
    });
  }
  const [ask] = asks;
  if (!ask) return { inputs, actions };
  const data = { transactionId: view.id, decision: ask.decision, card: 'transfer' };
  inputs.push(
    textInput('reason', {
      label: texts.t(ask.required ? 'teams:decision.reasonRequired' : 'teams:decision.reasonOptional'),
      placeholder: texts.t('common:placeholder.reason'),
      multiline: true,
      maxLength: MAX_TEXT_LENGTH,
    }),
  );
  actions.push(
    executeAction(texts.t('common:button.approve'), ask.approve, data, { style: 'positive', inputs: 'none' }),
    confirmReject && ask.reject === 'consent_reject'
      ? executeAction(
          texts.t('teams:decision.confirmRejectButton'),
          ask.reject,
          { ...data, confirm: true },
          { style: 'destructive', inputs: 'auto' },
        )
      : executeAction(texts.t('common:button.reject'), ask.reject, data, {
          style: 'destructive',
          inputs: 'auto',
        }),
  );
  return { inputs, actions };
}

/**
 * One transaction as its viewer may see it ("View Transaction"): status, facts, items with results and
 * reasons, consents, history — and only the buttons this viewer may press now. As many items as the
 * card's size allows; the others are counted.
 */
export function renderTransferCard(
  view: TransferView,
  texts: Texts,
  options: TransferCardOptions,
): AdaptiveCard {
  return fitCard(Math.min(view.items.length, MAX_ITEMS_SHOWN), (shown) =>
    drawTransferCard(view, texts, options, shown),
  );
}

function drawTransferCard(
  view: TransferView,
  texts: Texts,
  options: TransferCardOptions,
  itemsShown: number,
): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.outOfDate) body.push(textBlock(options.outOfDate, { color: 'Attention', weight: 'Bolder' }));
  if (options.notice)
    body.push(textBlock(texts.cardMsg(options.notice), { weight: 'Bolder', color: 'Accent' }));
  if (options.selection) body.push(selectionBlock(options.selection, texts));
  if (options.warnings && options.warnings.length > 0) {
    body.push(
      container([
        options.warningsTitle
          ? textBlock(texts.cardMsg(options.warningsTitle), { weight: 'Bolder', color: 'Attention' })
          : textBlock(texts.t('common:field.warnings'), { weight: 'Bolder', color: 'Warning' }),
        ...bullets(options.warnings.map((w) => texts.cardMsg(w))),
      ]),
    );
  }
  body.push(
    heading(texts.t('teams:transfer.title', { id: view.id })),
    textBlock(texts.t(`status:description.${view.status}`), { isSubtle: true, spacing: 'None' }),
    transferFacts(view, texts),
  );
  if (view.cancelReason)
    body.push(
      textBlock(texts.t('teams:transfer.cancelReason', { why: texts.cardMsg(view.cancelReason) }), {
        color: 'Attention',
      }),
    );
  if (view.screening) {
    body.push(
      textBlock(
        texts.t(`teams:decision.outcome.${view.screening.decision}`, {
          by: brief(view.screening.by ?? '?'),
          at: texts.date(view.screening.at),
          reason: view.screening.reason ? brief(view.screening.reason) : texts.t('common:value.none'),
        }),
        { spacing: 'Small' },
      ),
    );
  }
  body.push(...itemList(view, texts, itemsShown), ...consentLines(view, texts), ...historyLines(view, texts));

  const decision = decisionInputs(view, texts, options.viewerUserId, options.confirmReject === true);
  body.push(...decision.inputs);
  if (options.error) body.push(textBlock(options.error, { color: 'Attention', weight: 'Bolder' }));
  const actions: CardElement[] = [...decision.actions];
  const data = { transactionId: view.id };
  if (view.actions.includes('submit')) {
    actions.push(
      executeAction(texts.t('common:button.submitForTransfer'), 'transfer_submit', data, {
        style: 'positive',
      }),
    );
  }
  if (view.actions.includes('cancel')) {
    // Cancelling cannot be undone: the button only opens a confirmation with the real one inside.
    const confirm = adaptiveCard(
      [textBlock(texts.t('common:question.confirmCancel', { id: view.id }))],
      [
        executeAction(texts.t('common:button.confirmCancel'), 'transfer_cancel', data, {
          style: 'destructive',
        }),
      ],
    );
    delete confirm.msteams;
    actions.push(showCardAction(texts.t('common:button.cancel'), confirm));
  }
  if (view.actions.includes('retry'))
    actions.push(executeAction(texts.t('common:button.retryFailed'), 'transfer_retry', data));
  if (view.actions.includes('download'))
    actions.push(submitAction(texts.t('common:button.download'), { command: `export ${view.id}` }));
  return withActions(body, actions);
}

/** Teams hides top-level buttons past a handful behind "…"; the rest go in the body, all visible. */
function withActions(body: CardElement[], actions: CardElement[]): AdaptiveCard {
  if (actions.length <= 5) return adaptiveCard(body, actions);
  return adaptiveCard([...body, actionSet(actions.slice(5))], actions.slice(0, 5));
}
