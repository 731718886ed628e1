import type { types } from '@slack/bolt';
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
import { t, type RenderContext } from '../render/transfer.js';
import { encodeState, type WizardState } from './state.js';

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

export function stepLine(r: RenderContext, step: number, total: number, key: string): types.ContextBlock {
  return context([`${t(r, 'slack:wizard.step', { step, total })} · ${t(r, key)}`]);
}

export function totalSteps(s: WizardState): number {
  return s.same === true ? 3 : 4;
}

export function wizardModal(
  r: RenderContext,
  s: WizardState,
  callbackId: string,
  blocks: Block[],
  submitKey = 'common:button.next',
) {
  return modal({
    title: t(r, 'slack:wizard.title'),
    callbackId,
    metadata: encodeState(s),
    submit: t(r, submitKey),
    close: t(r, 'common:button.cancel'),
    blocks,
  });
}

function accountSelect(
  r: RenderContext,
  blockId: string,
  actionId: string,
  labelKey: string,
  current: string | undefined,
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(t(r, labelKey), 2000),
    element: {
      type: 'external_select',
      action_id: actionId,
      min_query_length: 0,
      placeholder: plain(t(r, 'common:placeholder.searchAccount'), 150),
      ...(current ? { initial_option: option(current, current) } : {}),
    },
  };
}

/** Step 1: the source and destination Smart Accounts, with the source's counts on demand. */
export function accountsStep(
  r: RenderContext,
  s: WizardState,
  extra: { counts?: AccountSummary | undefined; problem?: StepProblem } = {},
) {
  const blocks: Block[] = [
    stepLine(r, 1, totalSteps(s), 'slack:wizard.accountsStep'),
    ...problemBlocks(extra.problem),
  ];
  blocks.push(accountSelect(r, BLOCK.source, ACTION.wizardSource, 'common:field.sourceSmartAccount', s.from));
  blocks.push(
    actions('counts', [button(t(r, 'common:button.showCounts'), ACTION.wizardShowCounts, 'counts')]),
  );
  if (extra.counts) blocks.push(...chunkedSections(accountLines([extra.counts], r)));
  blocks.push(
    accountSelect(
      r,
      BLOCK.destination,
      ACTION.wizardDestination,
      'common:field.destinationSmartAccount',
      s.to,
    ),
  );
  return wizardModal(r, s, CALLBACK.wizardAccounts, blocks);
}

function vaOptions(account: AccountSummary, r: RenderContext) {
  return account.virtualAccounts
    .slice(0, 100)
    .map((v) =>
      option(
        v.name,
        v.name,
        `${t(r, 'common:summary.assetCounts', { licenses: v.licenses, devices: v.devices })}${v.onPrem ? ` · ${t(r, 'common:value.onPrem')}` : ''}`,
      ),
    );
}

export function routeLine(
  r: RenderContext,
  source: { name: string; domain: string },
  destination: { name: string; domain: string },
) {
  return context([
    t(r, 'common:summary.route', {
      source: `${esc(source.name)} (${esc(source.domain)})`,
      destination: `${esc(destination.name)} (${esc(destination.domain)})`,
    }),
  ]);
}

/** Step 2: Virtual Accounts on both sides and the same-company question. */
export function detailsStep(
  r: RenderContext,
  s: WizardState,
  data: { source: AccountSummary; destination: AccountSummary; problem?: StepProblem },
) {
  const blocks: Block[] = [
    stepLine(r, 2, totalSteps(s), 'slack:wizard.detailsStep'),
    routeLine(r, data.source, data.destination),
    ...problemBlocks(data.problem),
  ];
  const sourceVas = vaOptions(data.source, r);
  if (sourceVas.length > 0) {
    const initial = sourceVas.find((o) => (o.value ?? '').toLowerCase() === s.fromVa?.toLowerCase());
    blocks.push({
      type: 'input',
      block_id: BLOCK.sourceVa,
      optional: true,
      label: plain(t(r, 'common:field.sourceVirtualAccount')),
      hint: plain(t(r, 'slack:wizard.sourceVaHint')),
      element: {
        type: 'static_select',
        action_id: ACTION.wizardSourceVa,
        placeholder: plain(t(r, 'slack:wizard.anyVa'), 150),
        options: sourceVas,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  const destinationVas = vaOptions(data.destination, r);
  const wanted = (s.toVa ?? 'DEFAULT').toLowerCase();
  const initialDestination = destinationVas.find((o) => (o.value ?? '').toLowerCase() === wanted);
  blocks.push({
    type: 'input',
    block_id: BLOCK.destinationVa,
    label: plain(t(r, 'common:field.destinationVirtualAccount')),
    element: {
      type: 'static_select',
      action_id: ACTION.wizardDestinationVa,
      placeholder: plain(t(r, 'common:button.select'), 150),
      options: destinationVas.length > 0 ? destinationVas : [option('DEFAULT', 'DEFAULT')],
      ...(initialDestination ? { initial_option: initialDestination } : {}),
    },
  });
  const yes = option(t(r, 'common:answer.yes'), 'yes');
  const no = option(t(r, 'common:answer.no'), 'no');
  blocks.push({
    type: 'input',
    block_id: BLOCK.sameCompany,
    label: plain(t(r, 'common:question.sameCompany')),
    hint: plain(t(r, 'common:question.sameCompanyHint')),
    element: {
      type: 'radio_buttons',
      action_id: ACTION.wizardSameCompany,
      options: [yes, no],
      ...(s.same === true ? { initial_option: yes } : s.same === false ? { initial_option: no } : {}),
    },
  });
  return wizardModal(r, s, CALLBACK.wizardDetails, blocks);
}

function textInput(
  r: RenderContext,
  blockId: string,
  actionId: string,
  labelKey: string,
  value: string | undefined,
  o: { multiline?: boolean; placeholderKey?: string; max?: number } = {},
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(t(r, labelKey)),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      multiline: o.multiline ?? false,
      max_length: o.max ?? 3000,
      ...(value ? { initial_value: value } : {}),
      ...(o.placeholderKey ? { placeholder: plain(t(r, o.placeholderKey), 150) } : {}),
    },
  };
}

/** Step 3 (another legal entity only): the transferee and the software license transfer request form. */
export function formStep(
  r: RenderContext,
  s: WizardState,
  extra: { problem?: StepProblem; transfereeName?: string } = {},
) {
  const accept = option(t(r, 'common:question.acceptTerms'), 'accept');
  const blocks: Block[] = [
    stepLine(r, 3, 4, 'slack:wizard.formStep'),
    ...problemBlocks(extra.problem),
    {
      type: 'input',
      block_id: BLOCK.transferee,
      label: plain(t(r, 'common:field.transferee')),
      hint: plain(t(r, 'common:question.transferee')),
      element: {
        type: 'external_select',
        action_id: ACTION.wizardTransferee,
        min_query_length: 0,
        placeholder: plain(t(r, 'slack:wizard.searchPeople'), 150),
        ...(s.transferee
          ? { initial_option: option(extra.transfereeName ?? s.transferee, s.transferee) }
          : {}),
      },
    },
    textInput(
      r,
      BLOCK.justification,
      ACTION.wizardJustification,
      'common:field.businessJustification',
      s.justification,
      {
        multiline: true,
        placeholderKey: 'common:placeholder.justification',
      },
    ),
    textInput(r, BLOCK.legalName, ACTION.wizardLegalName, 'common:field.transfereeLegalName', s.legalName, {
      max: 300,
    }),
    textInput(r, BLOCK.address, ACTION.wizardAddress, 'common:field.address', s.address, {
      multiline: true,
      max: 1000,
    }),
    context([t(r, 'slack:wizard.terms')]),
    {
      type: 'input',
      block_id: BLOCK.terms,
      label: plain(t(r, 'common:field.termsAndConditions')),
      element: {
        type: 'checkboxes',
        action_id: ACTION.wizardTerms,
        options: [accept],
        ...(s.terms ? { initial_options: [accept] } : {}),
      },
    },
  ];
  return wizardModal(r, s, CALLBACK.wizardForm, blocks);
}
