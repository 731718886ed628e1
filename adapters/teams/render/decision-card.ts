import { itemsDecidedOn, type DecisionCardView } from '../../../src/app/cards.js';
import { REFRESH_VERB } from '../verbs.js';
import {
  adaptiveCard,
  brief,
  container,
  executeAction,
  fitCard,
  heading,
  submitAction,
  textBlock,
  textInput,
  type AdaptiveCard,
  type CardElement,
} from './card.js';
import { consentLines, itemList, MAX_ITEMS_SHOWN, transferFacts } from './transfer-parts.js';
import type { Texts } from './texts.js';
import { MAX_TEXT_LENGTH } from '../../../src/domain/decide.js';

export interface DecisionCardOptions {
  /** Teams ids of the people who decide: Teams refreshes the card for them whenever they open it. */
  refreshUserIds: string[];
  /** Shown above the buttons when the last click was refused (a compliance reject without a reason). */
  error?: string;
  /**
   * Why the last click did nothing: the decision was taken (by someone else, or the transfer moved past it)
   * since the card was drawn. Shown first, above the card as it is now, as Slack says it first and the
   * transfer card shows it.
   */
  outOfDate?: string;
  /**
   * A consent Reject clicked without a reason: the card asks to confirm, its Reject button now confirming
   * (a reason may still be typed), as Slack's reason modal does before anything is cancelled.
   */
  confirmReject?: boolean;
}

function title(view: DecisionCardView, texts: Texts): string {
  const id = view.transfer.id;
  switch (view.decision) {
    case 'consent:transferee':
      return texts.t('teams:decision.title.transferee', { id });
    case 'consent:transferor':
      return texts.t('teams:decision.title.transferor', { id });
    case 'compliance':
      return texts.t('teams:decision.title.compliance', { id });
  }
}

/** Who decided what and when, or why the card closed without a decision. */
function outcomeText(view: DecisionCardView, texts: Texts): string {
  const o = view.outcome;
  if (o?.decision) {
    return texts.t(`teams:decision.outcome.${o.decision}`, {
      by: brief(o.by ?? '?'),
      at: texts.date(o.at),
      reason: o.reason ? brief(o.reason) : texts.t('common:value.none'),
    });
  }
  if (o?.cannotAnswer) return texts.cardMsg(o.cannotAnswer);
  if (o?.closedBecause)
    return texts.t('common:card.closedBecause', { reason: texts.cardMsg(o.closedBecause) });
  return texts.t('common:card.closed', { status: texts.status(view.transfer.status) });
}

/**
 * A consent or compliance card: live Approve / Reject buttons with a reason field while the
 * decision is open; once taken, who decided what and when — the same card for everyone, so no stale
 * button stays clickable.
 */
export function renderDecisionCard(
  view: DecisionCardView,
  texts: Texts,
  options: DecisionCardOptions,
): AdaptiveCard {
  return fitCard(Math.min(itemsDecidedOn(view).length, MAX_ITEMS_SHOWN), (shown) =>
    drawDecisionCard(view, texts, options, shown),
  );
}

function drawDecisionCard(
  view: DecisionCardView,
  texts: Texts,
  options: DecisionCardOptions,
  itemsShown: number,
): AdaptiveCard {
  const data = { transactionId: view.transfer.id, decision: view.decision };
  const body: CardElement[] = [
    ...(options.outOfDate ? [textBlock(options.outOfDate, { color: 'Attention', weight: 'Bolder' })] : []),
    heading(title(view, texts)),
    textBlock(
      texts.t(view.decision === 'compliance' ? 'teams:decision.askCompliance' : 'teams:decision.askConsent'),
      { isSubtle: true, spacing: 'None' },
    ),
    transferFacts(view.transfer, texts),
    textBlock(
      `${texts.status(view.transfer.status)} — ${texts.t(`status:description.${view.transfer.status}`)}`,
      {
        isSubtle: true,
        spacing: 'Small',
      },
    ),
    // The decider is asked about what will move, as on every surface.
    ...itemList({ ...view.transfer, items: itemsDecidedOn(view) }, texts, itemsShown),
    ...consentLines(view.transfer, texts),
  ];
  const actions: CardElement[] = [];
  if (view.open && view.actions) {
    const compliance = view.decision === 'compliance';
    body.push(
      textInput('reason', {
        label: texts.t(compliance ? 'teams:decision.reasonRequired' : 'teams:decision.reasonOptional'),
        placeholder: texts.t('common:placeholder.reason'),
        multiline: true,
        maxLength: MAX_TEXT_LENGTH,
      }),
    );
    if (options.error) body.push(textBlock(options.error, { color: 'Attention', weight: 'Bolder' }));
    actions.push(
      executeAction(texts.t('common:button.approve'), view.actions.approve, data, {
        style: 'positive',
        inputs: 'none',
      }),
      executeAction(
        texts.t(options.confirmReject ? 'teams:decision.confirmRejectButton' : 'common:button.reject'),
        view.actions.reject,
        options.confirmReject ? { ...data, confirm: true } : data,
        { style: 'destructive', inputs: 'auto' },
      ),
    );
  } else {
    body.push(
      container([textBlock(outcomeText(view, texts), { weight: 'Bolder' })], {
        style: 'emphasis',
        spacing: 'Medium',
      }),
    );
    if (options.error) body.push(textBlock(options.error, { color: 'Attention', weight: 'Bolder' }));
  }
  // The Excel file lists every item the card has no room for, as its text says.
  actions.push(
    submitAction(
      texts.t('common:button.download'),
      { command: `export ${view.transfer.id}` },
      { inputs: 'none' },
    ),
  );
  const userIds = [...new Set(options.refreshUserIds)].slice(0, 60);
  return adaptiveCard(body, actions, {
    action: { type: 'Action.Execute', verb: REFRESH_VERB, data },
    ...(userIds.length > 0 ? { userIds } : {}),
  });
}
