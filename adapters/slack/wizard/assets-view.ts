import type { AssetList } from '../../../src/app/queries.js';
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
import { assetLine } from '../render/reply.js';
import { t, type RenderContext } from '../render/transfer.js';
import { encodeState, type WizardState } from './state.js';
import { problemBlocks, routeLine, stepLine, totalSteps, wizardModal, type StepProblem } from './views.js';

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
