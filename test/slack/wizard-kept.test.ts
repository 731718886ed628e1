import { describe, expect, it } from 'vitest';
import { BLOCK, ACTION } from '../../adapters/slack/ids.js';
import type { ViewPayload } from '../../adapters/slack/payloads.js';
import { assetsModal, OPTIONS_SHOWN } from '../../adapters/slack/wizard/assets-view.js';
import { assetsAnswer } from '../../adapters/slack/wizard/fields.js';
import type { JourneyView } from '../../src/app/journey/service.js';

const refs = Array.from({ length: 150 }, (_, i) => `SO:${100000 + i}-1`);
const state = { assets: { refs, whole: [] } };
const view = { step: 'assets', asked: [], soFar: [], state } as unknown as JourneyView;
const metadata = { d: 'draft-1', tab: 'licenses' as const };
const named = { domain: 'fr-a.example', name: 'Lumière' };

/** The modal as Slack sends it back: the licenses menu holding `selected`. */
const submitted = (selected: string[]): ViewPayload => ({
  id: 'V1',
  type: 'modal',
  state: {
    values: {
      [BLOCK.licenses]: {
        [ACTION.wizardLicenses]: {
          type: 'multi_external_select',
          selected_options: selected.map((value) => ({ value })),
        },
      },
    },
  },
});

describe('Slack wizard: a selection larger than the menu shows', () => {
  it('shows the first hundred, says how many more are kept, and keeps them when the step is answered', () => {
    const modal = assetsModal({ locale: 'fr', timeZone: 'Europe/Paris' }, view, metadata, {
      source: named,
      destination: named,
    });
    const json = JSON.stringify(modal);
    const menu = (modal.blocks as { block_id?: string; element?: { initial_options?: unknown[] } }[]).find(
      (b) => b.block_id === BLOCK.licenses,
    );
    expect(menu?.element?.initial_options).toHaveLength(OPTIONS_SHOWN);
    expect(json).toContain('50 autres actifs sélectionnés restent dans la demande');

    // Sent back as drawn: all 150 stay.
    const shown = refs.slice(0, OPTIONS_SHOWN);
    expect(assetsAnswer(submitted(shown), state, metadata).split(', ')).toEqual(refs);
    // One removed from the menu: only that one goes.
    expect(assetsAnswer(submitted(shown.slice(1)), state, metadata).split(', ')).toEqual(refs.slice(1));
  });
});
