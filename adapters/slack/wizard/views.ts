import type { types } from '@slack/bolt';
import type { CatalogKey, Reader } from '../../../src/i18n/index.js';
import type { AccountSummary } from '../../../src/app/queries.js';
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
import { t } from '../render/transfer.js';
import { encodeMetadata, type WizardState } from './state.js';
import { DEFAULT_VIRTUAL_ACCOUNT } from '../../../src/domain/types.js';

/** Something to say above a step: why it was shown again, with one line per problem. */
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

export function stepLine(reader: Reader, step: number, total: number, key: CatalogKey): types.ContextBlock {
  return context([`${t(reader, 'slack:wizard.step', { step, total })} · ${t(reader, key)}`]);
}

export function totalSteps(wizard: WizardState): number {
  return wizard.same === true ? 3 : 4;
}

export function wizardModal(
  reader: Reader,
  wizard: WizardState,
  callbackId: string,
  blocks: Block[],
  submitKey: CatalogKey = 'common:button.next',
) {
  return modal({
    title: t(reader, 'slack:wizard.title'),
    callbackId,
    metadata: encodeMetadata(wizard),
    submit: t(reader, submitKey),
    close: t(reader, 'common:button.cancel'),
    blocks,
  });
}

function accountSelect(
  reader: Reader,
  blockId: string,
  actionId: string,
  labelKey: CatalogKey,
  current: string | undefined,
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(t(reader, labelKey), 2000),
    element: {
      type: 'external_select',
      action_id: actionId,
      min_query_length: 0,
      placeholder: plain(t(reader, 'common:placeholder.searchAccount'), 150),
      ...(current ? { initial_option: option(current, current) } : {}),
    },
  };
}

/** Step 1: the source and destination Smart Accounts, with the source's counts on demand. */
export function accountsStep(
  reader: Reader,
  wizard: WizardState,
  extra: { counts?: AccountSummary | undefined; problem?: StepProblem } = {},
) {
  const blocks: Block[] = [
    stepLine(reader, 1, totalSteps(wizard), 'slack:wizard.accountsStep'),
    ...problemBlocks(extra.problem),
  ];
  blocks.push(
    accountSelect(reader, BLOCK.source, ACTION.wizardSource, 'common:field.sourceSmartAccount', wizard.from),
  );
  blocks.push(
    actions('counts', [button(t(reader, 'common:button.showCounts'), ACTION.wizardShowCounts, 'counts')]),
  );
  if (extra.counts) blocks.push(...chunkedSections(accountLines([extra.counts], reader)));
  blocks.push(
    accountSelect(
      reader,
      BLOCK.destination,
      ACTION.wizardDestination,
      'common:field.destinationSmartAccount',
      wizard.to,
    ),
  );
  return wizardModal(reader, wizard, CALLBACK.wizardAccounts, blocks);
}

function vaOptions(account: AccountSummary, reader: Reader) {
  return account.virtualAccounts
    .slice(0, 100)
    .map((v) =>
      option(
        v.name,
        v.name,
        `${t(reader, 'common:summary.assetCounts', { licenses: v.licenses, devices: v.devices })}${v.onPrem ? ` · ${t(reader, 'common:value.onPrem')}` : ''}`,
      ),
    );
}

export function routeLine(
  reader: Reader,
  source: { name: string; domain: string },
  destination: { name: string; domain: string },
) {
  return context([
    t(reader, 'common:summary.route', {
      source: `${esc(source.name)} (${esc(source.domain)})`,
      destination: `${esc(destination.name)} (${esc(destination.domain)})`,
    }),
  ]);
}

/** Step 2: Virtual Accounts on both sides and the same-company question. */
export function detailsStep(
  reader: Reader,
  wizard: WizardState,
  data: { source: AccountSummary; destination: AccountSummary; problem?: StepProblem },
) {
  const blocks: Block[] = [
    stepLine(reader, 2, totalSteps(wizard), 'slack:wizard.detailsStep'),
    routeLine(reader, data.source, data.destination),
    ...problemBlocks(data.problem),
  ];
  const sourceVas = vaOptions(data.source, reader);
  if (sourceVas.length > 0) {
    const initial = sourceVas.find((o) => (o.value ?? '').toLowerCase() === wizard.fromVa?.toLowerCase());
    blocks.push({
      type: 'input',
      block_id: BLOCK.sourceVa,
      optional: true,
      label: plain(t(reader, 'common:field.sourceVirtualAccount')),
      hint: plain(t(reader, 'slack:wizard.sourceVaHint')),
      element: {
        type: 'static_select',
        action_id: ACTION.wizardSourceVa,
        placeholder: plain(t(reader, 'slack:wizard.anyVa'), 150),
        options: sourceVas,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  const destinationVas = vaOptions(data.destination, reader);
  const wanted = (wizard.toVa ?? DEFAULT_VIRTUAL_ACCOUNT).toLowerCase();
  const initialDestination = destinationVas.find((o) => (o.value ?? '').toLowerCase() === wanted);
  blocks.push({
    type: 'input',
    block_id: BLOCK.destinationVa,
    label: plain(t(reader, 'common:field.destinationVirtualAccount')),
    element: {
      type: 'static_select',
      action_id: ACTION.wizardDestinationVa,
      placeholder: plain(t(reader, 'common:button.select'), 150),
      options:
        destinationVas.length > 0
          ? destinationVas
          : [option(DEFAULT_VIRTUAL_ACCOUNT, DEFAULT_VIRTUAL_ACCOUNT)],
      ...(initialDestination ? { initial_option: initialDestination } : {}),
    },
  });
  const yes = option(t(reader, 'common:answer.yes'), 'yes');
  const no = option(t(reader, 'common:answer.no'), 'no');
  blocks.push({
    type: 'input',
    block_id: BLOCK.sameCompany,
    label: plain(t(reader, 'common:question.sameCompany')),
    hint: plain(t(reader, 'common:question.sameCompanyHint')),
    element: {
      type: 'radio_buttons',
      action_id: ACTION.wizardSameCompany,
      options: [yes, no],
      ...(wizard.same === true
        ? { initial_option: yes }
        : wizard.same === false
          ? { initial_option: no }
          : {}),
    },
  });
  return wizardModal(reader, wizard, CALLBACK.wizardDetails, blocks);
}

function textInput(
  reader: Reader,
  blockId: string,
  actionId: string,
  labelKey: CatalogKey,
  value: string | undefined,
  o: { multiline?: boolean; placeholderKey?: CatalogKey; max?: number } = {},
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(t(reader, labelKey)),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      multiline: o.multiline ?? false,
      max_length: o.max ?? 3000,
      ...(value ? { initial_value: value } : {}),
      ...(o.placeholderKey ? { placeholder: plain(t(reader, o.placeholderKey), 150) } : {}),
    },
  };
}

/** Step 3 (another legal entity only): the transferee and the software license transfer request form. */
export function formStep(
  reader: Reader,
  wizard: WizardState,
  extra: { problem?: StepProblem; transfereeName?: string } = {},
) {
  const accept = option(t(reader, 'common:question.acceptTerms'), 'accept');
  const blocks: Block[] = [
    stepLine(reader, 3, 4, 'slack:wizard.formStep'),
    ...problemBlocks(extra.problem),
    {
      type: 'input',
      block_id: BLOCK.transferee,
      label: plain(t(reader, 'common:field.transferee')),
      hint: plain(t(reader, 'common:question.transferee')),
      element: {
        type: 'external_select',
        action_id: ACTION.wizardTransferee,
        min_query_length: 0,
        placeholder: plain(t(reader, 'slack:wizard.searchPeople'), 150),
        ...(wizard.transferee
          ? { initial_option: option(extra.transfereeName ?? wizard.transferee, wizard.transferee) }
          : {}),
      },
    },
    textInput(
      reader,
      BLOCK.justification,
      ACTION.wizardJustification,
      'common:field.businessJustification',
      wizard.justification,
      {
        multiline: true,
        placeholderKey: 'common:placeholder.justification',
      },
    ),
    textInput(
      reader,
      BLOCK.legalName,
      ACTION.wizardLegalName,
      'common:field.transfereeLegalName',
      wizard.legalName,
      {
        max: 300,
      },
    ),
    textInput(reader, BLOCK.address, ACTION.wizardAddress, 'common:field.address', wizard.address, {
      multiline: true,
      max: 1000,
    }),
    context([t(reader, 'slack:wizard.terms')]),
    {
      type: 'input',
      block_id: BLOCK.terms,
      label: plain(t(reader, 'common:field.termsAndConditions')),
      element: {
        type: 'checkboxes',
        action_id: ACTION.wizardTerms,
        options: [accept],
        ...(wizard.terms ? { initial_options: [accept] } : {}),
      },
    },
  ];
  return wizardModal(reader, wizard, CALLBACK.wizardForm, blocks);
}
