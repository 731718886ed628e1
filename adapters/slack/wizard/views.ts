import type { types } from '@slack/bolt';
import type { JourneyView } from '../../../src/app/journey/service.js';
import { COMPANY_LIMITS } from '../../../src/app/journey/company.js';
import type { StepName } from '../../../src/app/journey/journey.js';
import type { AccountSummary } from '../../../src/app/queries.js';
import { MAX_TEXT_LENGTH } from '../../../src/domain/decide.js';
import { tr, type Reader } from '../../../src/i18n/index.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import {
  actions,
  button,
  chunkedSections,
  context,
  esc,
  option,
  plain,
  section,
  type Block,
} from '../render/blocks.js';
import { modal } from '../render/modal.js';
import { accountLines } from '../render/reply.js';
import { t } from '../render/reader-text.js';
import { encodeMetadata, type WizardMetadata } from './state.js';
import type { CatalogKey } from '../../../src/i18n/index.js';

/** The modals the wizard groups the journey's steps into. */
export type ModalKind = 'accounts' | 'form' | 'assets' | 'review';

const MODAL_OF: Record<StepName, ModalKind> = {
  source: 'accounts',
  destination: 'accounts',
  destinationVirtualAccount: 'accounts',
  sameCompany: 'accounts',
  transferee: 'form',
  transferor: 'form',
  justification: 'form',
  terms: 'form',
  assets: 'assets',
  review: 'review',
};

export const modalOf = (step: StepName): ModalKind => MODAL_OF[step];

export const CALLBACK_OF: Record<ModalKind, string> = {
  accounts: CALLBACK.wizardAccounts,
  form: CALLBACK.wizardForm,
  assets: CALLBACK.wizardAssets,
  review: CALLBACK.wizardReview,
};

/** Something to say above a step redrawn after a click: what was wrong, one line per problem. */
export interface StepProblem {
  text: string;
  details: string[];
}

export function problemBlocks(problem: StepProblem | undefined): Block[] {
  if (!problem) return [];
  return [
    section(`:warning: *${esc(problem.text)}*`),
    ...chunkedSections(problem.details.map((d) => `• ${esc(d)}`)).slice(0, 3),
  ];
}

const TITLE_KEY: Record<ModalKind, CatalogKey> = {
  accounts: 'slack:wizard.accountsStep',
  form: 'slack:wizard.formStep',
  assets: 'slack:wizard.assetsStep',
  review: 'slack:wizard.reviewStep',
};

/** "Step 2 of 4 · …": the modals this journey draws, from the steps the core says it asks. */
export function stepLine(reader: Reader, view: JourneyView, kind: ModalKind): types.ContextBlock {
  const kinds = [...new Set(view.asked.map(modalOf))];
  const step = Math.max(1, kinds.indexOf(kind) + 1);
  return context([
    `${t(reader, 'slack:wizard.step', { step, total: kinds.length })} · ${t(reader, TITLE_KEY[kind])}`,
  ]);
}

export function wizardModal(
  reader: Reader,
  metadata: WizardMetadata,
  kind: ModalKind,
  blocks: Block[],
  submitKey: CatalogKey = 'common:button.next',
) {
  return modal({
    title: t(reader, 'slack:wizard.title'),
    callbackId: CALLBACK_OF[kind],
    metadata: encodeMetadata(metadata),
    submit: t(reader, submitKey),
    close: t(reader, 'common:button.cancel'),
    blocks,
  });
}

/** `domain` or `domain/VA`, as the journey's account steps read it. */
export const accountValue = (account: { smartAccount: string; virtualAccount?: string | undefined }) =>
  account.virtualAccount ? `${account.smartAccount}/${account.virtualAccount}` : account.smartAccount;

/** An input block: one element under its label in the reader's language, with a hint when given. */
export function inputBlock(
  reader: Reader,
  blockId: string,
  labelKey: CatalogKey,
  element: types.InputBlock['element'],
  o: { hintKey?: CatalogKey; optional?: boolean; dispatchAction?: boolean } = {},
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    ...(o.optional ? { optional: true } : {}),
    ...(o.dispatchAction ? { dispatch_action: true } : {}),
    label: plain(t(reader, labelKey)),
    ...(o.hintKey ? { hint: plain(t(reader, o.hintKey)) } : {}),
    element,
  };
}

function accountSelect(
  reader: Reader,
  blockId: string,
  actionId: string,
  labelKey: CatalogKey,
  current: string | undefined,
): types.InputBlock {
  return inputBlock(reader, blockId, labelKey, {
    type: 'external_select',
    action_id: actionId,
    min_query_length: 0,
    placeholder: plain(t(reader, 'common:placeholder.searchAccount'), 150),
    ...(current ? { initial_option: option(current, current) } : {}),
  });
}

/** Source, destination (Smart Account / Virtual Account) and the same-company question. */
export function accountsModal(
  reader: Reader,
  view: JourneyView,
  metadata: WizardMetadata,
  extra: { counts?: AccountSummary | undefined; problem?: StepProblem } = {},
) {
  const { state } = view;
  const blocks: Block[] = [stepLine(reader, view, 'accounts'), ...problemBlocks(extra.problem)];
  blocks.push(
    accountSelect(
      reader,
      BLOCK.source,
      ACTION.wizardSource,
      'common:field.sourceSmartAccount',
      state.source && accountValue(state.source),
    ),
    actions('counts', [button(t(reader, 'common:button.showCounts'), ACTION.wizardShowCounts, 'counts')]),
  );
  if (extra.counts) blocks.push(...chunkedSections(accountLines([extra.counts], reader)));
  blocks.push(
    accountSelect(
      reader,
      BLOCK.destination,
      ACTION.wizardDestination,
      'common:field.destinationSmartAccount',
      state.destination?.virtualAccount ? accountValue(state.destination) : undefined,
    ),
  );
  const yes = option(t(reader, 'common:answer.yes'), 'yes');
  const no = option(t(reader, 'common:answer.no'), 'no');
  const initial = state.sameCompany === true ? yes : state.sameCompany === false ? no : undefined;
  blocks.push(
    inputBlock(
      reader,
      BLOCK.sameCompany,
      'common:question.sameCompany',
      {
        type: 'radio_buttons',
        action_id: ACTION.wizardSameCompany,
        options: [yes, no],
        ...(initial ? { initial_option: initial } : {}),
      },
      { hintKey: 'common:question.sameCompanyHint' },
    ),
  );
  return wizardModal(reader, metadata, 'accounts', blocks);
}

function textInput(
  reader: Reader,
  blockId: string,
  actionId: string,
  labelKey: CatalogKey,
  value: string | undefined,
  o: { multiline?: boolean; placeholderKey?: CatalogKey; max: number; optional?: boolean },
): types.InputBlock {
  return inputBlock(
    reader,
    blockId,
    labelKey,
    {
      type: 'plain_text_input',
      action_id: actionId,
      multiline: o.multiline ?? false,
      max_length: o.max,
      ...(value ? { initial_value: value.slice(0, o.max) } : {}),
      ...(o.placeholderKey ? { placeholder: plain(t(reader, o.placeholderKey), 150) } : {}),
    },
    o.optional ? { optional: true } : {},
  );
}

/** The transferor option meaning "ask every eligible admin; the first answer counts". */
export const ASK_ALL = '*';

/**
 * The block the transferor select is drawn in. Slack keeps what was picked in an input across an update
 * that draws the same block, whatever the new view says: a pick no longer offered is let go by drawing the
 * select in the other block.
 */
export const transferorBlock = (metadata: WizardMetadata): string =>
  metadata.transferorAgain ? BLOCK.transferorAgain : BLOCK.transferor;

/**
 * The software license transfer request form, for another company: transferee, transferor on a
 * partner's request (the eligible people the core lists, or all of them), justification, the
 * transferee company as the inventory records it (editable), and the terms. Choosing the transferee
 * redraws the form: the core's transferors then leave them out.
 */
export function formModal(
  reader: Reader,
  view: JourneyView,
  metadata: WizardMetadata,
  data: {
    transferees: { name: string; email: string }[];
    transferors?: { name: string; email: string }[] | undefined;
    company: { legalName: string | null; address: string | null } | undefined;
  },
) {
  const { state } = view;
  const accept = option(t(reader, 'common:question.acceptTerms'), 'accept');
  const transferee = data.transferees.find((p) => p.email === state.transferee);
  let drawn = metadata;
  const blocks: Block[] = [
    stepLine(reader, view, 'form'),
    // What the inventory says against the same-company answer: why the form is asked.
    ...(view.note ? [context([`:warning: ${esc(tr(reader, view.note))}`])] : []),
    inputBlock(
      reader,
      BLOCK.transferee,
      'common:field.transferee',
      {
        type: 'external_select',
        action_id: ACTION.wizardTransferee,
        min_query_length: 0,
        placeholder: plain(t(reader, 'slack:wizard.searchPeople'), 150),
        ...(state.transferee
          ? { initial_option: option(transferee?.name ?? state.transferee, state.transferee) }
          : {}),
      },
      // With nobody to choose, the form goes to the journey as it is, which says why under the field.
      {
        hintKey: 'common:question.transferee',
        optional: data.transferees.length === 0,
        dispatchAction: data.transferors !== undefined,
      },
    ),
  ];
  if (data.transferors) {
    const all = option(t(reader, 'slack:wizard.askAllTransferors'), ASK_ALL);
    const people = data.transferors.slice(0, 99).map((p) => option(p.name, p.email, p.email));
    const initial = state.transferor === null ? all : people.find((o) => o.value === state.transferor);
    // Picked before and no longer offered (since chosen as transferee): the select starts empty again.
    if (state.transferor && !initial) drawn = { ...metadata, transferorAgain: !metadata.transferorAgain };
    blocks.push(
      inputBlock(
        reader,
        transferorBlock(drawn),
        'common:field.transferor',
        {
          type: 'static_select',
          action_id: ACTION.wizardTransferor,
          placeholder: plain(t(reader, 'common:button.select'), 150),
          options: [all, ...people],
          ...(initial ? { initial_option: initial } : {}),
        },
        { hintKey: 'slack:wizard.transferorHint' },
      ),
    );
  }
  blocks.push(
    textInput(
      reader,
      BLOCK.justification,
      ACTION.wizardJustification,
      'common:field.businessJustification',
      state.justification,
      { multiline: true, placeholderKey: 'common:placeholder.justification', max: MAX_TEXT_LENGTH },
    ),
    textInput(
      reader,
      BLOCK.legalName,
      ACTION.wizardLegalName,
      'common:field.transfereeLegalName',
      state.transfereeLegalName ?? data.company?.legalName ?? undefined,
      { max: COMPANY_LIMITS.transfereeLegalName, optional: true },
    ),
    textInput(
      reader,
      BLOCK.address,
      ACTION.wizardAddress,
      'common:field.address',
      state.transfereeAddress ?? data.company?.address ?? undefined,
      { multiline: true, max: COMPANY_LIMITS.transfereeAddress, optional: true },
    ),
    context([t(reader, 'common:terms.text')]),
    inputBlock(reader, BLOCK.terms, 'common:field.termsAndConditions', {
      type: 'checkboxes',
      action_id: ACTION.wizardTerms,
      options: [accept],
      ...(state.termsAccepted ? { initial_options: [accept] } : {}),
    }),
  );
  return wizardModal(reader, drawn, 'form', blocks);
}
