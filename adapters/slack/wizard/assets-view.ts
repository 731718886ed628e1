import { formatWholeSelection } from '../../../src/app/journey/asset-answer.js';
import type { JourneyState, WholeSelection } from '../../../src/app/journey/journey.js';
import type { JourneyView } from '../../../src/app/journey/service.js';
import { reviewAnswers, type ReviewValue } from '../../../src/app/journey/review-answers.js';
import { accountLabel, type Reader } from '../../../src/i18n/index.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import {
  actions,
  button,
  chunkedSections,
  context,
  esc,
  fields,
  option,
  plain,
  section,
  type Block,
} from '../render/blocks.js';
import { modal } from '../render/modal.js';
import { assetLine } from '../render/reply.js';
import { personText, selectionLines } from '../render/transfer.js';
import { t } from '../render/reader-text.js';
import { encodeMetadata, type WizardMetadata } from './state.js';
import { inputBlock, problemBlocks, stepLine, wizardModal, type StepProblem } from './views.js';
import type { CatalogKey } from '../../../src/i18n/index.js';

type Named = { name: string; domain: string };

/**
 * How many selected assets the tab's menu shows (Slack's limit on a menu's initial options). A draft
 * holding more (from a file of references) keeps the rest in the request and says so.
 */
export const OPTIONS_SHOWN = 100;

/** The draft's named references by where the asset step shows them: each tab, and those typed in the command. */
export function refsByTab(state: JourneyState): { licenses: string[]; devices: string[]; typed: string[] } {
  const refs = state.assets?.refs ?? [];
  return {
    licenses: refs.filter((ref) => /^SO:[^-]+-/iu.test(ref)),
    devices: refs.filter((ref) => /^SN:/iu.test(ref)),
    typed: refs.filter((ref) => !/^SO:[^-]+-/iu.test(ref) && !/^SN:/iu.test(ref)),
  };
}

/**
 * A whole selection in the reader's words ("Every eligible device of Virtual Account Lab"), with the search
 * it is narrowed by.
 */
function wholeWords(reader: Reader, selection: WholeSelection): string {
  const name = selection.virtualAccount;
  const kind = selection.kind === 'licenses' ? 'Licenses' : selection.kind === 'devices' ? 'Devices' : '';
  const text =
    name === undefined
      ? t(reader, `common:whole.all${kind}`)
      : t(reader, `common:whole.virtualAccount${kind}`, { name });
  return selection.query
    ? `${text} · ${t(reader, 'slack:wizard.narrowedBy', { query: selection.query })}`
    : text;
}

export function routeLine(reader: Reader, source: Named, destination: Named, virtualAccount?: string) {
  return context([
    t(reader, 'common:summary.route', {
      source: esc(accountLabel(reader.locale, source)),
      // The Virtual Account inside the brackets, as `to:` names it: `Lab (fr-b.example/Lyon)`.
      destination: esc(
        accountLabel(reader.locale, {
          name: destination.name,
          domain: virtualAccount ? `${destination.domain}/${virtualAccount}` : destination.domain,
        }),
      ),
    }),
  ]);
}

/**
 * Licenses and devices on two tabs, searchable; ineligible ones listed with their reason, never offered.
 * Whole selections (`ALL`, `VA:NAME`) are kept as checkboxes, and "Select all eligible (N)" adds one
 * for the current search.
 */
export function assetsModal(
  reader: Reader,
  view: JourneyView,
  metadata: WizardMetadata,
  data: { source: Named; destination: Named; problem?: StepProblem },
) {
  const licenses = metadata.tab === 'licenses';
  const refs = refsByTab(view.state);
  const tabLabel = (key: CatalogKey, n: number) => `${t(reader, key)}${n > 0 ? ` (${n})` : ''}`;
  const blocks: Block[] = [
    stepLine(reader, view, 'assets'),
    routeLine(reader, data.source, data.destination, view.state.destination?.virtualAccount),
    ...problemBlocks(data.problem),
    actions('tabs', [
      button(
        tabLabel('common:field.licenses', refs.licenses.length),
        ACTION.wizardTabLicenses,
        'licenses',
        licenses ? 'primary' : undefined,
      ),
      button(
        tabLabel('common:field.devices', refs.devices.length),
        ACTION.wizardTabDevices,
        'devices',
        licenses ? undefined : 'primary',
      ),
    ]),
  ];
  const selected = licenses ? refs.licenses : refs.devices;
  const searchPlaceholder = plain(
    t(reader, licenses ? 'common:placeholder.searchLicenses' : 'common:placeholder.searchDevices'),
    150,
  );
  blocks.push(
    inputBlock(
      reader,
      licenses ? BLOCK.licenses : BLOCK.devices,
      licenses ? 'common:field.licenses' : 'common:field.devices',
      {
        type: 'multi_external_select',
        action_id: licenses ? ACTION.wizardLicenses : ACTION.wizardDevices,
        min_query_length: 0,
        placeholder: searchPlaceholder,
        ...(selected.length > 0
          ? { initial_options: selected.slice(0, OPTIONS_SHOWN).map((ref) => option(ref, ref)) }
          : {}),
      },
      { optional: true, hintKey: 'slack:wizard.ineligibleHint' },
    ),
  );
  const elsewhere: string[] = [];
  if (selected.length > OPTIONS_SHOWN)
    elsewhere.push(t(reader, 'common:summary.keptOutOfView', { count: selected.length - OPTIONS_SHOWN }));
  const other = licenses ? refs.devices : refs.licenses;
  if (other.length > 0)
    elsewhere.push(
      t(reader, licenses ? 'slack:wizard.alsoDevices' : 'slack:wizard.alsoLicenses', {
        refs: other.map(esc).join(', '),
      }),
    );
  if (refs.typed.length > 0)
    elsewhere.push(t(reader, 'slack:wizard.alsoTyped', { refs: refs.typed.map(esc).join(', ') }));
  if (elsewhere.length > 0) blocks.push(context(elsewhere.map((e) => e.slice(0, 2900))));
  const whole = view.state.assets?.whole ?? [];
  if (whole.length > 0) {
    // Said in words, with what one would type for it underneath (`VA:"Lab devices" devices`).
    const options = whole
      .slice(0, 10)
      .map((w) => option(wholeWords(reader, w), formatWholeSelection(w), formatWholeSelection(w)));
    blocks.push(
      inputBlock(
        reader,
        BLOCK.whole,
        'slack:wizard.wholeSelections',
        { type: 'checkboxes', action_id: ACTION.wizardWhole, options, initial_options: options },
        { optional: true },
      ),
    );
  }
  blocks.push(
    inputBlock(
      reader,
      BLOCK.search,
      'slack:wizard.browse',
      {
        type: 'plain_text_input',
        action_id: ACTION.wizardSearch,
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
        placeholder: searchPlaceholder,
        ...(view.state.assetQuery ? { initial_value: view.state.assetQuery } : {}),
      },
      { optional: true, dispatchAction: true, hintKey: 'slack:wizard.browseHint' },
    ),
  );
  if (view.assets) {
    const listing = licenses ? view.assets.licenses : view.assets.devices;
    const rows = listing.rows.slice(0, 15);
    if (rows.length === 0) blocks.push(context([t(reader, 'slack:assets.none')]));
    blocks.push(...chunkedSections(rows.map((row) => assetLine(row, reader))).slice(0, 6));
    if (listing.more || listing.rows.length > rows.length)
      blocks.push(context([t(reader, 'slack:wizard.refine')]));
    // Of this tab's kind only: the Licenses tab selects every eligible license, no device.
    const eligible = view.assets.eligible[metadata.tab];
    if (eligible > 0)
      blocks.push(
        actions('select_all', [
          button(t(reader, 'slack:wizard.selectAll', { count: eligible }), ACTION.wizardSelectAll, 'all'),
        ]),
      );
  }
  return wizardModal(reader, metadata, 'assets', blocks);
}

/**
 * The review before Submit for Review: the route, the form's answers, what the selection takes in per
 * kind and Virtual Account and what it leaves out; buttons go back to any earlier modal.
 */
export function reviewModal(
  reader: Reader,
  view: JourneyView,
  metadata: WizardMetadata,
  data: { source: Named; destination: Named; problem?: StepProblem },
) {
  const { state } = view;
  // The answers as the core lists them for every surface; the business justification, which may be long,
  // under the others rather than in a field.
  const pairs: [string, string][] = [];
  const lines: string[] = [];
  for (const answer of reviewAnswers(view)) {
    const label = t(reader, answer.field);
    const value = reviewValueText(reader, answer.value);
    if (answer.field === 'common:field.businessJustification') lines.push(`*${label}*`, value);
    else pairs.push([label, value]);
  }
  const refs = state.assets?.refs ?? [];
  const whole = (state.assets?.whole ?? []).slice(0, 10).map((w) => `• ${esc(wholeWords(reader, w))}`);
  const named = refs
    .slice(0, 30)
    .map((ref) => `\`${esc(ref)}\``)
    .join(', ');
  if (whole.length > 0 || named) {
    lines.push(`*${t(reader, 'common:field.assets')}*`, ...whole);
    if (named) lines.push(`${named}${refs.length > 30 ? ` … (+${refs.length - 30})` : ''}`);
  }
  const blocks: Block[] = [
    stepLine(reader, view, 'review'),
    routeLine(reader, data.source, data.destination, state.destination?.virtualAccount),
    ...problemBlocks(data.problem),
    fields(pairs),
    ...chunkedSections(lines).slice(0, 4),
  ];
  if (view.review) blocks.push(...chunkedSections(selectionLines(view.review, reader)).slice(0, 4));
  const kinds: ('accounts' | 'form' | 'assets')[] = view.asked.includes('transferee')
    ? ['accounts', 'form', 'assets']
    : ['accounts', 'assets'];
  const back = kinds.map((kind) =>
    button(t(reader, `slack:wizard.change.${kind}`), ACTION.wizardChange, kind),
  );
  blocks.push(actions('change', back));
  return wizardModal(reader, metadata, 'review', blocks, 'common:button.submitForReview');
}

/** One answer of the review in mrkdwn: a person's own text escaped, a person by name with their e-mail. */
function reviewValueText(reader: Reader, value: ReviewValue): string {
  switch (value.kind) {
    case 'text':
      return esc(value.text);
    case 'words':
      return esc(t(reader, value.words.key, value.words.params));
    case 'person':
      return value.known ? personText(value.known, reader) : esc(value.email);
  }
}

/** Shown while the core makes the request (it may take longer than Slack waits for an answer). */
export function validatingView(reader: Reader, metadata: WizardMetadata) {
  return modal({
    title: t(reader, 'slack:wizard.title'),
    callbackId: CALLBACK.wizardResult,
    metadata: encodeMetadata(metadata),
    close: t(reader, 'common:button.close'),
    blocks: [section(`:hourglass_flowing_sand: ${t(reader, 'slack:wizard.validating')}`)],
  });
}
