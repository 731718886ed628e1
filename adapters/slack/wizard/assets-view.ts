import type { AssetList } from '../../../src/app/queries.js';
import type { CatalogKey, Reader } from '../../../src/i18n/index.js';
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
import { t } from '../render/transfer.js';
import { encodeMetadata, type WizardState } from './state.js';
import { problemBlocks, routeLine, stepLine, totalSteps, wizardModal, type StepProblem } from './views.js';

/** Step 4: licenses and devices on two tabs, searchable; ineligible ones listed with their reason, never offered. */
export function assetsStep(
  reader: Reader,
  wizard: WizardState,
  data: {
    source: { name: string; domain: string };
    destination: { name: string; domain: string };
    listing?: AssetList;
    problem?: StepProblem;
  },
) {
  const licenses = wizard.tab === 'licenses';
  const tabLabel = (key: CatalogKey, n: number) => `${t(reader, key)}${n > 0 ? ` (${n})` : ''}`;
  const blocks: Block[] = [
    stepLine(reader, totalSteps(wizard), totalSteps(wizard), 'slack:wizard.assetsStep'),
    routeLine(reader, data.source, data.destination),
    ...problemBlocks(data.problem),
    actions('tabs', [
      button(
        tabLabel('common:field.licenses', wizard.lic.length),
        ACTION.wizardTabLicenses,
        'licenses',
        licenses ? 'primary' : undefined,
      ),
      button(
        tabLabel('common:field.devices', wizard.dev.length),
        ACTION.wizardTabDevices,
        'devices',
        licenses ? undefined : 'primary',
      ),
    ]),
  ];
  const selected = licenses ? wizard.lic : wizard.dev;
  blocks.push({
    type: 'input',
    block_id: licenses ? BLOCK.licenses : BLOCK.devices,
    optional: true,
    label: plain(t(reader, licenses ? 'common:field.licenses' : 'common:field.devices')),
    hint: plain(t(reader, 'slack:wizard.ineligibleHint')),
    element: {
      type: 'multi_external_select',
      action_id: licenses ? ACTION.wizardLicenses : ACTION.wizardDevices,
      min_query_length: 0,
      placeholder: plain(
        t(reader, licenses ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices'),
        150,
      ),
      ...(selected.length > 0
        ? { initial_options: selected.slice(0, 100).map((ref) => option(ref, ref)) }
        : {}),
    },
  });
  const elsewhere: string[] = [];
  const other = licenses ? wizard.dev : wizard.lic;
  if (other.length > 0) {
    elsewhere.push(
      t(reader, licenses ? 'slack:wizard.alsoDevices' : 'slack:wizard.alsoLicenses', {
        refs: other.map(esc).join(', '),
      }),
    );
  }
  if (wizard.other.length > 0)
    elsewhere.push(t(reader, 'slack:wizard.alsoTyped', { refs: wizard.other.map(esc).join(', ') }));
  if (elsewhere.length > 0) blocks.push(context(elsewhere.map((e) => e.slice(0, 2900))));
  blocks.push({
    type: 'input',
    block_id: BLOCK.search,
    optional: true,
    dispatch_action: true,
    label: plain(t(reader, 'slack:wizard.browse')),
    hint: plain(t(reader, 'slack:wizard.browseHint')),
    element: {
      type: 'plain_text_input',
      action_id: ACTION.wizardSearch,
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      placeholder: plain(
        t(reader, licenses ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices'),
        150,
      ),
      ...(wizard.search ? { initial_value: wizard.search } : {}),
    },
  });
  if (data.listing) {
    const rows = data.listing.rows.slice(0, 15);
    if (rows.length === 0) blocks.push(context([t(reader, 'slack:assets.none')]));
    blocks.push(...chunkedSections(rows.map((row) => assetLine(row, reader))).slice(0, 6));
    if (data.listing.more || data.listing.rows.length > rows.length)
      blocks.push(context([t(reader, 'slack:wizard.refine')]));
  }
  return wizardModal(reader, wizard, CALLBACK.wizardAssets, blocks, 'common:button.submitForReview');
}

/** Shown while the core validates the request (it may take longer than Slack waits for an answer). */
export function validatingView(reader: Reader, wizard: WizardState) {
  return modal({
    title: t(reader, 'slack:wizard.title'),
    callbackId: CALLBACK.wizardResult,
    metadata: encodeMetadata(wizard),
    close: t(reader, 'common:button.close'),
    blocks: [section(`:hourglass_flowing_sand: ${t(reader, 'slack:wizard.validating')}`)],
  });
}
