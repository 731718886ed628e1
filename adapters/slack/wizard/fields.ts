/** Reading a wizard modal's fields from a submission or a click, as the journey's steps take them. */
import { formatWholeSelection } from '../../../src/app/journey/asset-answer.js';
import type { JourneyState } from '../../../src/app/journey/journey.js';
import { ACTION, BLOCK } from '../ids.js';
import { stateOf, type ViewPayload } from '../payloads.js';
import { OPTIONS_SHOWN, refsByTab } from './assets-view.js';
import type { WizardMetadata } from './state.js';
import { ASK_ALL, transferorBlock } from './views.js';

export const picked = (view: ViewPayload | undefined, block: string, action: string) =>
  stateOf(view, block, action)?.selected_option?.value ?? undefined;

export function typed(view: ViewPayload | undefined, block: string, action: string): string | undefined {
  const value = stateOf(view, block, action)?.value;
  return value === null || value === undefined ? undefined : value;
}

export const QUERY_MAX = 200;

/**
 * The asset step's answer as the core reads it: the selection on the tab shown (what the draft held
 * for it when the payload has none), the other tab's and the typed references, the whole selections
 * still ticked, and any added by a click.
 */
export function assetsAnswer(
  view: ViewPayload,
  state: JourneyState,
  metadata: WizardMetadata,
  added: string[] = [],
): string {
  const held = refsByTab(state);
  const licenses = metadata.tab === 'licenses';
  const shown = stateOf(
    view,
    licenses ? BLOCK.licenses : BLOCK.devices,
    licenses ? ACTION.wizardLicenses : ACTION.wizardDevices,
  );
  const heldOnTab = licenses ? held.licenses : held.devices;
  // The menu showed the first OPTIONS_SHOWN of what the draft held: those beyond stay as they were.
  const tabRefs = shown
    ? [...(shown.selected_options ?? []).map((o) => o.value), ...heldOnTab.slice(OPTIONS_SHOWN)]
    : heldOnTab;
  const ticked = stateOf(view, BLOCK.whole, ACTION.wizardWhole);
  const whole = ticked
    ? (ticked.selected_options ?? []).map((o) => o.value)
    : (state.assets?.whole ?? []).map(formatWholeSelection);
  return [...tabRefs, ...(licenses ? held.devices : held.licenses), ...held.typed, ...whole, ...added].join(
    ', ',
  );
}

/**
 * The request form's other fields as the person left them, drawn again when choosing the transferee
 * redraws the form. Not answers: the form's submission hands them to the journey.
 */
export function formAsLeft(view: ViewPayload, metadata: WizardMetadata): Partial<JourneyState> {
  const left: Partial<JourneyState> = {};
  // A field emptied is drawn empty, not filled again from the draft or the inventory.
  const text = (block: string, action: string) => {
    const value = stateOf(view, block, action);
    return value ? (value.value ?? '') : undefined;
  };
  const transferor = picked(view, transferorBlock(metadata), ACTION.wizardTransferor);
  if (transferor !== undefined) left.transferor = transferor === ASK_ALL ? null : transferor;
  const justification = text(BLOCK.justification, ACTION.wizardJustification);
  if (justification !== undefined) left.justification = justification;
  const legalName = text(BLOCK.legalName, ACTION.wizardLegalName);
  if (legalName !== undefined) left.transfereeLegalName = legalName;
  const address = text(BLOCK.address, ACTION.wizardAddress);
  if (address !== undefined) left.transfereeAddress = address;
  const terms = stateOf(view, BLOCK.terms, ACTION.wizardTerms);
  if (terms) left.termsAccepted = (terms.selected_options ?? []).some((o) => o.value === 'accept');
  return left;
}
