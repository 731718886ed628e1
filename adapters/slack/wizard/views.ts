import type { types } from '@slack/bolt';
import type { AccountSummary, AssetList } from '../../../src/app/queries.js';
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
import { accountLines, assetLine } from '../render/reply.js';
import { t, type RenderContext } from '../render/transfer.js';
import { encodeState, type WizardState } from './state.js';

/** Something to say above a step: why it was shown again, with one line per problem. */
export interface StepProblem {
  text: string;
  details: string[];
}

function problemBlocks(problem: StepProblem | undefined): Block[] {
  if (!problem) return [];
  return [
    section(`:warning: *${esc(problem.text)}*`),
    ...chunkedSections(problem.details.map((d) => `• ${esc(d)}`)).slice(0, 3),
  ];
}

function stepLine(r: RenderContext, step: number, total: number, key: string): types.ContextBlock {
  return context([`${t(r, 'slack:wizard.step', { step, total })} · ${t(r, key)}`]);
}

function totalSteps(s: WizardState): number {
  return s.same === true ? 3 : 4;
}

function wizardModal(
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
        `${t(r, 'common:summary.assetCounts', { licenses: v.licenses, devices: v.devices })}${v.onPrem ? ' · On-Prem' : ''}`,
      ),
    );
}

function routeLine(
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

/** Step 4: licenses and devices on two tabs, searchable; ineligible ones listed with their reason, never offered. */
export function assetsStep(
  r: RenderContext,
  s: WizardState,
  data: {
    source: { name: string; domain: string };
    destination: { name: string; domain: string };
    listing?: AssetList;
    problem?: StepProblem;
  },
) {
  const licenses = s.tab === 'licenses';
  const tabLabel = (key: string, n: number) => `${t(r, key)}${n > 0 ? ` (${n})` : ''}`;
  const blocks: Block[] = [
    stepLine(r, totalSteps(s), totalSteps(s), 'slack:wizard.assetsStep'),
    routeLine(r, data.source, data.destination),
    ...problemBlocks(data.problem),
    actions('tabs', [
      button(
        tabLabel('common:field.licenses', s.lic.length),
        ACTION.wizardTabLicenses,
        'licenses',
        licenses ? 'primary' : undefined,
      ),
      button(
        tabLabel('common:field.devices', s.dev.length),
        ACTION.wizardTabDevices,
        'devices',
        licenses ? undefined : 'primary',
      ),
    ]),
  ];
  const selected = licenses ? s.lic : s.dev;
  blocks.push({
    type: 'input',
    block_id: licenses ? BLOCK.licenses : BLOCK.devices,
    optional: true,
    label: plain(t(r, licenses ? 'common:field.licenses' : 'common:field.devices')),
    hint: plain(t(r, 'slack:wizard.ineligibleHint')),
    element: {
      type: 'multi_external_select',
      action_id: licenses ? ACTION.wizardLicenses : ACTION.wizardDevices,
      min_query_length: 0,
      placeholder: plain(
        t(r, licenses ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices'),
        150,
      ),
      ...(selected.length > 0
        ? { initial_options: selected.slice(0, 100).map((ref) => option(ref, ref)) }
        : {}),
    },
  });
  const elsewhere: string[] = [];
  const other = licenses ? s.dev : s.lic;
  if (other.length > 0) {
    elsewhere.push(
      t(r, licenses ? 'slack:wizard.alsoDevices' : 'slack:wizard.alsoLicenses', {
        refs: other.map(esc).join(', '),
      }),
    );
  }
  if (s.other.length > 0)
    elsewhere.push(t(r, 'slack:wizard.alsoTyped', { refs: s.other.map(esc).join(', ') }));
  if (elsewhere.length > 0) blocks.push(context(elsewhere.map((e) => e.slice(0, 2900))));
  blocks.push({
    type: 'input',
    block_id: BLOCK.search,
    optional: true,
    dispatch_action: true,
    label: plain(t(r, 'slack:wizard.browse')),
    hint: plain(t(r, 'slack:wizard.browseHint')),
    element: {
      type: 'plain_text_input',
      action_id: ACTION.wizardSearch,
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      placeholder: plain(
        t(r, licenses ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices'),
        150,
      ),
      ...(s.search ? { initial_value: s.search } : {}),
    },
  });
  if (data.listing) {
    const rows = data.listing.rows.slice(0, 15);
    if (rows.length === 0) blocks.push(context([t(r, 'slack:assets.none')]));
    blocks.push(...chunkedSections(rows.map((row) => assetLine(row, r))).slice(0, 6));
    if (data.listing.more || data.listing.rows.length > rows.length)
      blocks.push(context([t(r, 'slack:wizard.refine')]));
  }
  return wizardModal(r, s, CALLBACK.wizardAssets, blocks, 'common:button.submitForReview');
}

/** Shown while the core validates the request (it may take longer than Slack waits for an answer). */
export function validatingView(r: RenderContext, s: WizardState) {
  return modal({
    title: t(r, 'slack:wizard.title'),
    callbackId: CALLBACK.wizardResult,
    metadata: encodeState(s),
    close: t(r, 'common:button.close'),
    blocks: [section(`:hourglass_flowing_sand: ${t(r, 'slack:wizard.validating')}`)],
  });
}
