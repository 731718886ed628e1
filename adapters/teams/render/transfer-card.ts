import type { TransferView } from '../../../src/app/views.js';
import type { Msg } from '../../../src/i18n/index.js';
import {
  actionSet,
  adaptiveCard,
  bullets,
  container,
  executeAction,
  heading,
  showCardAction,
  submitAction,
  textBlock,
  textInput,
  type AdaptiveCard,
  type CardElement,
} from './card.js';
import { consentLines, historyLines, itemList, transferFacts } from './transfer-parts.js';
import type { Texts } from './texts.js';

export interface TransferCardOptions {
  /** The viewer, to find which consent (transferee or transferor) their buttons answer. */
  viewerUserId: number;
  notice?: Msg | undefined;
  warnings?: Msg[] | undefined;
  /** A refusal of the last click, shown on the card it was made on. */
  error?: string | undefined;
}

function decisionInputs(
  view: TransferView,
  x: Texts,
  viewerUserId: number,
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
      label: x.t(ask.required ? 'teams:decision.reasonRequired' : 'teams:decision.reasonOptional'),
      placeholder: x.t('common:placeholder.reason'),
      multiline: true,
    }),
  );
  actions.push(
    executeAction(x.t('common:button.approve'), ask.approve, data, { style: 'positive', inputs: 'none' }),
    executeAction(x.t('common:button.reject'), ask.reject, data, { style: 'destructive', inputs: 'auto' }),
  );
  return { inputs, actions };
}

/**
 * One transaction as its viewer may see it ("View Transaction"): status, facts, items with results and
 * reasons, consents, history — and only the buttons this viewer may press now (STYLE.md).
 */
export function renderTransferCard(view: TransferView, x: Texts, options: TransferCardOptions): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.notice) body.push(textBlock(x.msg(options.notice), { weight: 'Bolder', color: 'Accent' }));
  if (options.warnings && options.warnings.length > 0) {
    body.push(
      container([
        textBlock(x.t('common:field.warnings'), { weight: 'Bolder', color: 'Warning' }),
        ...bullets(options.warnings.map((w) => x.msg(w))),
      ]),
    );
  }
  body.push(
    heading(x.t('teams:transfer.title', { id: view.id })),
    textBlock(x.t('status:description.' + view.status), { isSubtle: true, spacing: 'None' }),
    transferFacts(view, x),
  );
  if (view.cancelReason)
    body.push(
      textBlock(x.t('teams:transfer.cancelReason', { why: x.msg(view.cancelReason) }), {
        color: 'Attention',
      }),
    );
  if (view.screening) {
    body.push(
      textBlock(
        x.t(`teams:decision.outcome.${view.screening.decision}`, {
          by: view.screening.by ?? '?',
          at: x.date(view.screening.at),
          reason: view.screening.reason ?? x.t('common:value.none'),
        }),
        { spacing: 'Small' },
      ),
    );
  }
  body.push(...itemList(view, x), ...consentLines(view, x), ...historyLines(view, x));

  const decision = decisionInputs(view, x, options.viewerUserId);
  body.push(...decision.inputs);
  if (options.error) body.push(textBlock(options.error, { color: 'Attention', weight: 'Bolder' }));
  const actions: CardElement[] = [...decision.actions];
  const data = { transactionId: view.id };
  if (view.actions.includes('submit')) {
    actions.push(
      executeAction(x.t('common:button.submitForTransfer'), 'transfer_submit', data, { style: 'positive' }),
    );
  }
  if (view.actions.includes('cancel')) {
    // Cancelling cannot be undone: the button only opens a confirmation with the real one inside.
    const confirm = adaptiveCard(
      [textBlock(x.t('common:question.confirmCancel', { id: view.id }))],
      [executeAction(x.t('common:button.confirmCancel'), 'transfer_cancel', data, { style: 'destructive' })],
    );
    delete confirm.msteams;
    actions.push(showCardAction(x.t('common:button.cancel'), confirm));
  }
  if (view.actions.includes('retry'))
    actions.push(executeAction(x.t('common:button.retryFailed'), 'transfer_retry', data));
  if (view.actions.includes('download'))
    actions.push(submitAction(x.t('common:button.download'), { command: `export ${view.id}` }));
  return withActions(body, actions);
}

/** Teams hides top-level buttons past a handful behind "…"; the rest go in the body, all visible. */
function withActions(body: CardElement[], actions: CardElement[]): AdaptiveCard {
  if (actions.length <= 5) return adaptiveCard(body, actions);
  return adaptiveCard([...body, actionSet(actions.slice(5))], actions.slice(0, 5));
}
