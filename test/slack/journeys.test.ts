import { describe, expect, it } from 'vitest';
import type { StepName } from '../../src/app/journey/journey.js';
import { surfaceDrivers } from '../support/db.js';
import {
  consoleLines,
  consoleSession,
  createdIn,
  JOURNEYS,
  recorded,
  type JourneyAnswer,
  type JourneyCase,
} from '../support/journeys.js';
import type { Json } from '../support/slack-api.js';
import { click, SLACK, submission, useSlack } from './harness.js';

type Block = { type: string; block_id?: string; element?: Record<string, Json> };
type View = { id: string; callback_id: string; private_metadata: string; blocks: Block[] };
type Values = Record<string, Record<string, unknown>>;

const KIND: Record<string, 'accounts' | 'form' | 'assets' | 'review'> = {
  transfer_wizard_accounts: 'accounts',
  transfer_wizard_form: 'form',
  transfer_wizard_assets: 'assets',
  transfer_wizard_review: 'review',
};

/** The fields of each modal, in the journey's order, and the block each one sits in. */
const FIELDS: Record<string, { step: StepName; block: string }[]> = {
  accounts: [
    { step: 'source', block: 'source' },
    { step: 'destination', block: 'destination' },
    { step: 'sameCompany', block: 'same_company' },
  ],
  form: [
    { step: 'transferee', block: 'transferee' },
    { step: 'transferor', block: 'transferor' },
    { step: 'justification', block: 'justification' },
    { step: 'terms', block: 'terms' },
  ],
  assets: [{ step: 'assets', block: 'assets' }],
  review: [],
};

/**
 * Each step's answers in order, as the Slack modals take them: the destination's Virtual Account is
 * part of the destination's option (`SA/VA`); the review has no typed answer, only its button.
 */
function attemptsOf(journey: JourneyCase): Map<StepName, JourneyAnswer[]> {
  const byStep = new Map<StepName, JourneyAnswer[]>();
  for (const a of journey.answers) byStep.set(a.step, [...(byStep.get(a.step) ?? []), a]);
  const vas = byStep.get('destinationVirtualAccount') ?? [];
  byStep.delete('destinationVirtualAccount');
  if (vas.length > 0) {
    const destinations = byStep.get('destination')!;
    const account = destinations.pop()!;
    destinations.push(
      ...vas.map((va) => ({ ...va, step: 'destination' as const, text: `${account.text}/${va.text}` })),
    );
  }
  return byStep;
}

describe.each(surfaceDrivers)('the journey table through the Slack wizard (%s)', (driver) => {
  const h = useSlack(driver);

  async function options(userId: string, actionId: string, value: string, view: View) {
    const res = await h.interact({
      type: 'block_suggestion',
      user: { id: userId },
      action_id: actionId,
      block_id: 'x',
      value,
      view: { type: 'modal', ...view },
    });
    return ((await res.json()) as { options: { value: string }[] }).options.map((o) => o.value);
  }

  const selected = (type: string, value: string) => ({ type, selected_option: { value } });
  const initialValue = (view: View, block: string) =>
    view.blocks.find((b) => b.block_id === block)?.element?.['initial_value'] as string | undefined;

  /** What the person gives in one field: picked from what the modal offers, else typed as is (a stale or forged value). */
  async function fieldValue(userId: string, view: View, step: StepName, text: string): Promise<Values> {
    switch (step) {
      case 'source': {
        const offered = await options(userId, 'wizard_source_sa', text, view);
        return { source: { wizard_source_sa: selected('external_select', offered[0] ?? text) } };
      }
      case 'destination':
        return { destination: { wizard_destination_sa: selected('external_select', text) } };
      case 'sameCompany':
        return { same_company: { wizard_same_company: selected('radio_buttons', text) } };
      case 'transferee': {
        const offered = await options(userId, 'wizard_transferee', text, view);
        return { transferee: { wizard_transferee: selected('external_select', offered[0] ?? text) } };
      }
      case 'transferor':
        return { transferor: { wizard_transferor: selected('static_select', text === '' ? '*' : text) } };
      case 'justification':
        return { justification: { wizard_justification: { type: 'plain_text_input', value: text } } };
      case 'terms':
        return {
          terms: {
            wizard_terms: {
              type: 'checkboxes',
              selected_options: text === 'yes' ? [{ value: 'accept' }] : [],
            },
          },
        };
      case 'assets':
      case 'destinationVirtualAccount':
      case 'review':
        return {};
    }
  }

  const multi = (refs: string[]) => ({
    type: 'multi_external_select',
    selected_options: refs.map((value) => ({ value })),
  });

  /** The asset step: licenses on their tab, then devices on theirs (the tab switch keeps the licenses). */
  async function assetValues(
    userId: string,
    view: View,
    text: string,
  ): Promise<{ view: View; values: Values }> {
    const refs = text.split(',').map((r) => r.trim());
    const licenses = refs.filter((r) => !r.startsWith('SN:'));
    const devices = refs.filter((r) => r.startsWith('SN:'));
    if (devices.length === 0)
      return { view, values: { assets_licenses: { wizard_licenses: multi(licenses) } } };
    const since = h.api.count();
    await h.interact(
      click(
        userId,
        { action_id: 'wizard_tab_devices', value: 'devices' },
        {
          view: {
            type: 'modal',
            ...view,
            state: { values: { assets_licenses: { wizard_licenses: multi(licenses) } } },
          },
        },
      ),
    );
    const shown = (await h.api.waitFor('views.update', (c) => c.args.view_id === view.id, { since })).args
      .view as View;
    return {
      view: { ...shown, id: view.id },
      values: { assets_devices: { wizard_devices: multi(devices) } },
    };
  }

  /** Drives the modals as a person would, giving each step's answers in turn; returns the transaction made. */
  async function slackJourney(journey: JourneyCase): Promise<string> {
    const userId = SLACK[journey.as as keyof typeof SLACK].id;
    const attempts = attemptsOf(journey);
    const tried = new Map<StepName, number>();
    const current = (step: StepName) => attempts.get(step)?.[tried.get(step) ?? 0];
    let since = h.api.count();
    await h.slash(userId, 'new');
    let view = {
      ...((await h.api.waitFor('views.open', () => true, { since })).args.view as View),
      id: 'VJOURNEY',
    };
    for (let round = 0; round < 30; round++) {
      const kind = KIND[view.callback_id];
      expect(kind, JSON.stringify(view)).toBeDefined();
      const drawn = FIELDS[kind!]!.filter(
        (f) => f.block === 'assets' || view.blocks.some((b) => b.block_id === f.block),
      );
      let values: Values = {};
      for (const field of ['legal_name', 'address']) {
        const value = initialValue(view, field);
        if (value !== undefined) values[field] = { [`wizard_${field}`]: { type: 'plain_text_input', value } };
      }
      let assetsBlock = 'assets_licenses';
      for (const field of drawn) {
        const answer = current(field.step);
        expect(answer, `${journey.name}: nothing to answer ${field.step}`).toBeDefined();
        if (field.step === 'assets') {
          const shown = await assetValues(userId, view, answer!.text);
          view = shown.view;
          values = shown.values;
          assetsBlock = Object.keys(values)[0]!;
        } else {
          Object.assign(values, await fieldValue(userId, view, field.step, answer!.text));
        }
      }
      since = h.api.count();
      const res = await h.interact(submission(userId, view, values));
      const body = (await res.json()) as {
        response_action: string;
        view?: View;
        errors?: Record<string, string>;
      };
      const firstWrong = drawn.find((f) => current(f.step)?.wrong);
      if (firstWrong) {
        // The first wrong answer is said on its field; the person corrects it and submits again.
        const block = firstWrong.block === 'assets' ? assetsBlock : firstWrong.block;
        expect(body.response_action, `${journey.name}: ${firstWrong.step}`).toBe('errors');
        expect(Object.keys(body.errors ?? {})).toEqual([block]);
        tried.set(firstWrong.step, (tried.get(firstWrong.step) ?? 0) + 1);
        continue;
      }
      expect(body.response_action, JSON.stringify(body)).toBe('update');
      if (kind === 'review') {
        const result = await h.api.waitFor(
          'views.update',
          (c) => c.args.view_id === view.id && c.args.view.callback_id === 'transfer_wizard_result',
          { since },
        );
        return /AT-[0-9A-Z]{8}/.exec(JSON.stringify(result.args.view))![0];
      }
      view = { ...body.view!, id: view.id };
    }
    throw new Error(`${journey.name}: the wizard did not end`);
  }

  it.each(JOURNEYS)('$name: the same transfer as the console wizard', async (journey) => {
    const bySlack = await slackJourney(journey);
    const seen = await recorded(h.database.db, bySlack);
    await consoleSession(h.database.db, journey.as, [`cancel ${bySlack}`]);
    const out = await consoleSession(h.database.db, journey.as, ['new', ...consoleLines(journey)]);
    const byConsole = createdIn(out);
    expect(byConsole, out).toBeDefined();
    expect(byConsole).not.toBe(bySlack);
    expect(await recorded(h.database.db, byConsole!)).toEqual(seen);
    await consoleSession(h.database.db, journey.as, [`cancel ${byConsole}`]);
  });
});
