import { eq } from 'drizzle-orm';
import { addBigOrder } from '../support/big-order.js';
import { describe, expect, it } from 'vitest';
import { transfers } from '../../db/schema.js';
import { recorded } from '../support/journeys.js';
import { surfaceDrivers } from '../support/db.js';
import type { Json } from '../support/slack-api.js';
import { countingAccountLists } from '../support/counting-deps.js';
import {
  answerTo,
  buttonIds,
  click,
  interactionBody,
  SLACK,
  startInstance,
  submission,
  useSlack,
} from './harness.js';
import { translate } from '../../src/i18n/index.js';

type View = { id?: string; callback_id: string; private_metadata: string; blocks: Block[] };
type Block = {
  type: string;
  block_id?: string;
  element?: Record<string, Json>;
  text?: { text: string };
  elements?: Json[];
};

const selected = (value: string) => ({
  type: 'external_select',
  selected_option: { value, text: { text: value } },
});

describe.each(surfaceDrivers)('the request wizard in Slack modals (%s)', (driver) => {
  const h = useSlack(driver);

  async function options(userId: string, actionId: string, value: string, view?: View) {
    const res = await h.interact({
      type: 'block_suggestion',
      user: { id: userId },
      action_id: actionId,
      block_id: 'x',
      value,
      ...(view ? { view: { id: 'V1', type: 'modal', ...view } } : {}),
    });
    expect(res.status).toBe(200);
    return (
      (await res.json()) as {
        options: { value: string; text: { text: string }; description?: { text: string } }[];
      }
    ).options;
  }

  async function submit(userId: string, view: View, values: Record<string, Record<string, unknown>>) {
    const res = await h.interact(submission(userId, { ...view, id: view.id ?? 'VWIZ' }, values));
    expect(res.status).toBe(200);
    return (await res.json()) as { response_action: string; view?: View; errors?: Record<string, string> };
  }

  const all = (view: View) => JSON.stringify(view.blocks);

  it('reads the accounts a person administers once per submitted modal, however many fields it answers', async () => {
    const since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:<http://fr-a.example|fr-a.example>');
    const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    const counted = countingAccountLists(h.deps);
    const instance = await startInstance(counted.deps, h.database, h.api);
    try {
      const values = {
        source: { wizard_source_sa: selected('fr-a.example') },
        destination: { wizard_destination_sa: selected('be.example/DEFAULT') },
        same_company: { wizard_same_company: { type: 'radio_buttons', selected_option: { value: 'no' } } },
      };
      const res = await instance.post(
        interactionBody(submission(SLACK.alice.id, { ...view, id: 'VWIZ' }, values)),
        'application/x-www-form-urlencoded',
      );
      // Three answers taken and the request form drawn with its people and company: one listing for all of it.
      expect(((await res.json()) as { view?: View }).view?.callback_id).toBe('transfer_wizard_form');
      expect(counted.lists()).toBe(1);
    } finally {
      await instance.close();
    }
  });

  it('does not open the wizard on a Smart Account its requester does not administer: the line is refused', async () => {
    const since = h.api.count();
    // Carol administers fr-a.example only; the wizard would have asked her for a transferee nobody can name.
    const { responseUrl } = await h.slash(
      SLACK.carol.id,
      'new from:<http://fr-a.example|fr-a.example> to:<http://be.example/DEFAULT|be.example/DEFAULT>',
    );
    const told = await answerTo(h, responseUrl, { since });
    expect(told.args.text).toBe(translate('fr', 'core:refusal.notAdminOfBoth', { accounts: 'be.example' }));
    expect(
      h.api
        .calls()
        .slice(since)
        .filter((c) => c.method.startsWith('views.')),
    ).toEqual([]);
  });

  it('says under the transferee why nobody can be chosen when the requester alone administers the destination', async () => {
    // Alice alone administers fr-b.example (Lumière Paris), another legal entity than be.example.
    const since = h.api.count();
    await h.slash(
      SLACK.alice.id,
      'new from:<http://be.example|be.example> to:<http://fr-b.example/DEFAULT|fr-b.example/DEFAULT> same-company:no',
    );
    const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    expect(view.callback_id).toBe('transfer_wizard_form');
    expect(await options(SLACK.alice.id, 'wizard_transferee', '', view)).toEqual([]);
    // Nothing to pick, so the field does not stop the form: the journey answers it.
    expect(view.blocks.find((b) => b.block_id === 'transferee')).toMatchObject({ optional: true });
    const answered = await submit(SLACK.alice.id, view, {
      transferee: { wizard_transferee: { type: 'external_select', selected_option: null } },
      justification: { wizard_justification: { type: 'plain_text_input', value: 'Paris lab' } },
      terms: { wizard_terms: { type: 'checkboxes', selected_options: [{ value: 'accept' }] } },
    });
    expect(answered).toEqual({
      response_action: 'errors',
      errors: { transferee: translate('fr', 'core:journey.error.noTransferee', { domain: 'fr-b.example' }) },
    });
  });

  it('says on the request form why it is asked when the inventory contradicts a same-company yes', async () => {
    const since = h.api.count();
    await h.slash(
      SLACK.alice.id,
      'new from:<http://fr-a.example|fr-a.example> to:<http://be.example/DEFAULT|be.example/DEFAULT> same-company:yes',
    );
    const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    // Two legal entities: the answer goes on as "no", so the form is asked, and says so above its fields.
    expect(view.callback_id).toBe('transfer_wizard_form');
    const note = translate('fr', 'core:warning.twoLegalEntities', {
      source: 'Lumière Réseaux SAS',
      destination: 'Lumière Réseaux Belgique SA',
    });
    expect(view.blocks[1]).toMatchObject({ type: 'context', elements: [{ text: `:warning: ${note}` }] });

    // The same line with its assets, whole but for the form: not refused, answered with the wizard's
    // button (the line was worked on after its ack), which opens the form with the note.
    const again = h.api.count();
    const { responseUrl } = await h.slash(
      SLACK.alice.id,
      'new from:<http://fr-a.example|fr-a.example> to:<http://be.example/DEFAULT|be.example/DEFAULT> assets:SO:100-1 same-company:yes',
    );
    const told = await answerTo(h, responseUrl, { since: again });
    const open = (told.args.blocks as Block[])
      .flatMap((b) => (b.elements ?? []) as { action_id?: string; value?: string }[])
      .find((e) => e.action_id === 'wizard_open');
    expect(open?.value).toBeTruthy();
  });

  it('walks from `/transfer new` to a submitted request, re-checking every step against the inventory', async () => {
    // `new` with only a source opens the wizard at once, prefilled.
    let since = h.api.count();
    const { triggerId } = await h.slash(SLACK.alice.id, 'new from:<http://fr-a.example|fr-a.example>');
    const opened = await h.api.waitFor('views.open', () => true, { since });
    expect(opened.args.trigger_id).toBe(triggerId);
    let view = opened.args.view as View;
    expect(view.callback_id).toBe('transfer_wizard_accounts');
    expect(view.blocks.find((b) => b.block_id === 'source')?.element?.initial_option?.value).toBe(
      'fr-a.example',
    );

    // The account typeahead offers only accounts the person administers.
    // (An account with several Virtual Accounts is also offered one Virtual Account at a time.)
    const forAlice = await options(SLACK.alice.id, 'wizard_source_sa', 'lumi');
    expect(forAlice.map((o) => o.value).sort()).toEqual([
      'be.example',
      'fr-a.example',
      'fr-a.example/DEFAULT',
      'fr-a.example/Lab',
      'fr-b.example',
    ]);
    // An On-Prem Virtual Account says so before it is picked (its devices cannot move), in Alice's French.
    expect(forAlice.find((o) => o.value === 'fr-a.example/Lab')?.text.text).toBe(
      'Lab (On-Prem) · Lumière Lyon (fr-a.example)',
    );
    expect((await options(SLACK.bob.id, 'wizard_source_sa', '')).map((o) => o.value)).toEqual(['be.example']);
    // A Virtual Account is found by its own name, or as `SA/VA`, not only by its account's name.
    const values = async (text: string) =>
      (await options(SLACK.alice.id, 'wizard_source_sa', text)).map((o) => o.value);
    expect(await values('lab')).toEqual(['fr-a.example/Lab']);
    expect(await values('lyon/LA')).toEqual(['fr-a.example/Lab']);
    expect(await values('fr-a.example/')).toEqual(['fr-a.example/DEFAULT', 'fr-a.example/Lab']);

    // Show counts: the source's licenses and devices, per Virtual Account.
    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'wizard_show_counts', value: 'counts' },
        {
          view: {
            id: 'VWIZ',
            type: 'modal',
            hash: 'h1',
            ...view,
            state: { values: { source: { wizard_source_sa: selected('fr-a.example') } } },
          },
        },
      ),
    );
    const counted = await h.api.waitFor('views.update', () => true, { since });
    expect(counted.args.view_id).toBe('VWIZ');
    // The whole account (7 licenses, 4 devices), then per Virtual Account, in Alice's French.
    const countsText = JSON.stringify(counted.args.view);
    expect(countsText).toMatch(/Lumière Lyon\*? \(fr-a\.example\) — Licences.:.7 · Périphériques.:.4/);
    // French typography: a no-break space before every colon, the VA's name included.
    expect(countsText).toMatch(/DEFAULT\u00a0: Licences\u00a0: 7 · Périphériques\u00a0: 3/);
    expect(countsText).toMatch(/Lab \(On-Prem\)\u00a0: Licences\u00a0: 0 · Périphériques\u00a0: 1/);
    view = counted.args.view as View;

    expect(view.blocks.find((b) => b.block_id === 'same_company')?.element?.type).toBe('radio_buttons');
    // The destination is a Virtual Account of another account: the source is not offered.
    const destinations = (await options(SLACK.alice.id, 'wizard_destination_sa', '', view)).map(
      (o) => o.value,
    );
    expect(destinations).toEqual(expect.arrayContaining(['be.example/DEFAULT', 'fr-b.example/DEFAULT']));
    expect(destinations.some((d) => d.startsWith('fr-a.example'))).toBe(false);

    // The same account on both sides is refused on the field, in Alice's French.
    const same = await submit(SLACK.alice.id, view, {
      source: { wizard_source_sa: selected('fr-a.example') },
      destination: { wizard_destination_sa: selected('fr-a.example/DEFAULT') },
      same_company: { wizard_same_company: { type: 'radio_buttons', selected_option: { value: 'no' } } },
    });
    expect(same.response_action).toBe('errors');
    expect(Object.keys(same.errors ?? {})).toEqual(['destination']);
    expect(same.errors?.['destination']).toContain('fr-a.example est la source');

    // "No": the form, prefilled from the destination's legal entity.
    const form = await submit(SLACK.alice.id, view, {
      source: { wizard_source_sa: selected('fr-a.example') },
      destination: { wizard_destination_sa: selected('be.example/DEFAULT') },
      same_company: { wizard_same_company: { type: 'radio_buttons', selected_option: { value: 'no' } } },
    });
    expect(form.response_action).toBe('update');
    view = form.view!;
    expect(view.callback_id).toBe('transfer_wizard_form');
    expect(view.blocks.find((b) => b.block_id === 'legal_name')?.element?.initial_value).toBe(
      'Lumière Réseaux Belgique SA',
    );
    expect(view.blocks.find((b) => b.block_id === 'address')?.element?.initial_value).toBe(
      'Avenue Louise 1, Bruxelles',
    );
    // The transferee is chosen among the destination's admins, never the requester.
    const people = await options(SLACK.alice.id, 'wizard_transferee', '', view);
    expect(people.map((o) => o.value).sort()).toEqual(['bob@be.example', 'paul@partner.example']);
    // Alice is no partner: no transferor is asked.
    expect(view.blocks.some((b) => b.block_id === 'transferor')).toBe(false);

    // Terms not accepted: said on that field; the answers before it are kept in the draft.
    const unaccepted = await submit(SLACK.alice.id, view, {
      transferee: { wizard_transferee: selected('bob@be.example') },
      justification: { wizard_justification: { type: 'plain_text_input', value: 'Brussels lab' } },
      terms: { wizard_terms: { type: 'checkboxes', selected_options: [] } },
    });
    expect(unaccepted.response_action).toBe('errors');
    expect(unaccepted.errors).toEqual({
      terms: 'Les conditions générales doivent être acceptées pour continuer.',
    });
    const draftId = (JSON.parse(view.private_metadata) as { d: string }).d;
    expect((await h.deps.store.drafts.load(draftId))?.state).toMatchObject({
      transferee: 'bob@be.example',
      justification: 'Brussels lab',
    });

    const assets = await submit(SLACK.alice.id, view, {
      transferee: { wizard_transferee: selected('bob@be.example') },
      justification: { wizard_justification: { type: 'plain_text_input', value: 'Brussels lab' } },
      legal_name: { wizard_legal_name: { type: 'plain_text_input', value: 'Lumière Réseaux Belgique SA' } },
      address: { wizard_address: { type: 'plain_text_input', value: 'Avenue Louise 1, Bruxelles' } },
      terms: { wizard_terms: { type: 'checkboxes', selected_options: [{ value: 'accept' }] } },
    });
    view = assets.view!;
    expect(view.callback_id).toBe('transfer_wizard_assets');
    // Ineligible licenses are listed with their reason...
    expect(all(view)).toContain('~`SO:101-1`');
    expect(all(view)).toContain('Enterprise Agreement');
    // ...and never offered in the typeahead.
    const licenses = await options(SLACK.alice.id, 'wizard_licenses', '', view);
    const offered = licenses.map((o) => o.value);
    expect(offered).toEqual(expect.arrayContaining(['SO:100-1', 'SO:103-1', 'SO:104-1']));
    expect(offered).not.toContain('SO:101-1');
    expect(offered).not.toContain('SO:102-1');
    expect((await options(SLACK.alice.id, 'wizard_licenses', 'SO:103-1', view)).map((o) => o.value)).toEqual([
      'SO:103-1',
    ]);
    // A line typed whole is found however many lines its sales order has.
    await addBigOrder(h.database.db, { salesOrder: '970', lines: 1100, inUse: [] });
    expect(
      (await options(SLACK.alice.id, 'wizard_licenses', 'SO:970-1050', view)).map((o) => o.value),
    ).toEqual(['SO:970-1050']);
    expect((await options(SLACK.alice.id, 'wizard_licenses', '970-7', view)).map((o) => o.value)).toEqual([
      'SO:970-7',
    ]);

    // Devices tab: the licenses picked so far are kept.
    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'wizard_tab_devices', value: 'devices' },
        {
          view: {
            id: 'VWIZ',
            type: 'modal',
            ...view,
            state: {
              values: {
                assets_licenses: {
                  wizard_licenses: {
                    type: 'multi_external_select',
                    selected_options: [{ value: 'SO:103-1' }],
                  },
                },
              },
            },
          },
        },
      ),
    );
    view = (await h.api.waitFor('views.update', () => true, { since })).args.view as View;
    expect(view.blocks.some((b) => b.block_id === 'assets_devices')).toBe(true);
    // The modal carries only the draft's id; the selection is in the draft the bot keeps.
    const metadata = JSON.parse(view.private_metadata) as { d: string };
    expect(Object.keys(metadata).every((key) => ['d', 'tab', 'counts'].includes(key))).toBe(true);
    const kept = await h.deps.store.drafts.load(metadata.d);
    expect(kept?.state['assets']).toEqual({ refs: ['SO:103-1'], whole: [] });
    const devices = (await options(SLACK.alice.id, 'wizard_devices', '', view)).map((o) => o.value);
    expect(devices).toEqual(expect.arrayContaining(['SN:FOC0001', 'SN:FOC0002']));
    expect(devices).not.toContain('SN:FOC0003');
    expect(devices).not.toContain('SN:FOC0004');
    expect(all(view)).toContain('SSM On-Prem');

    // Next: the review counts what the selection takes in, per kind and Virtual Account.
    const review = await submit(
      SLACK.alice.id,
      { ...view, id: 'VWIZ' },
      {
        assets_devices: {
          wizard_devices: { type: 'multi_external_select', selected_options: [{ value: 'SN:FOC0001' }] },
        },
      },
    );
    expect(review.response_action).toBe('update');
    view = review.view!;
    expect(view.callback_id).toBe('transfer_wizard_review');
    expect(all(view)).toContain('DEFAULT\u00a0: licences 1 · périphériques 1');
    // The answers read as a form: each label over its value, the transferee by name with their e-mail,
    // and every answer of the request form (the same list the Teams card and the console read back).
    const answers = view.blocks.find((b) => b.type === 'section' && 'fields' in b) as unknown as {
      fields: { text: string }[];
    };
    expect(answers.fields.map((f) => f.text)).toEqual([
      '*Même entreprise*\nNon',
      '*Cessionnaire*\nBob Peeters &lt;<mailto:bob@be.example|bob@be.example>&gt;',
      '*Raison sociale du cessionnaire*\nLumière Réseaux Belgique SA',
      '*Adresse*\nAvenue Louise 1, Bruxelles',
      '*Conditions générales*\nAcceptées',
    ]);
    expect(all(view)).toContain('*Justification commerciale*\\nBrussels lab');

    // Submit for Review: a "validating" answer at once, then the result with the transaction id.
    since = h.api.count();
    const validating = await submit(SLACK.alice.id, { ...view, id: 'VWIZ' }, {});
    expect(validating.response_action).toBe('update');
    const result = await h.api.waitFor(
      'views.update',
      (c) => c.args.view_id === 'VWIZ' && c.args.view.callback_id === 'transfer_wizard_result',
      { since },
    );
    const id = /AT-[0-9A-Z]{8}/.exec(JSON.stringify(result.args.view))![0];
    expect(buttonIds(result)).toEqual(expect.arrayContaining(['transfer_submit', 'transfer_cancel']));
    // SO:103-1 is in use on devices: the warning is on the result.
    expect(JSON.stringify(result.args.view)).toContain('SO:103-1');
    const [row] = await h.database.db.select().from(transfers).where(eq(transfers.id, id));
    expect(row).toMatchObject({
      status: 'pending_submission',
      justification: 'Brussels lab',
      sameLegalEntity: false,
    });
    // Submit for Review again (a double click): told it was sent, naming the transaction; nothing more.
    const again = await submit(SLACK.alice.id, { ...view, id: 'VWIZ' }, {});
    expect(JSON.stringify(again.view)).toContain(
      `Cette demande a déjà été envoyée\u00a0: transaction ${id}.`,
    );
    expect(
      await h.database.db.select().from(transfers).where(eq(transfers.requesterId, row!.requesterId)),
    ).toHaveLength(1);

    // Submit for Transfer from the modal: the modal shows the new status.
    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'transfer_submit', value: id, block_id: 'transfer' },
        { view: { id: 'VWIZ', type: 'modal', ...(result.args.view as View) } },
      ),
    );
    const after = await h.api.waitFor('views.update', (c) => c.args.view_id === 'VWIZ', { since });
    expect(JSON.stringify(after.args.view)).toContain(id);
    const [submitted] = await h.database.db.select().from(transfers).where(eq(transfers.id, id));
    expect(submitted?.status).toBe('awaiting_consent');
  });

  it('opens at the first step not given on the line, and says on the field that an asset is needed', async () => {
    const since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:fr-a.example to:fr-b.example/DEFAULT same-company:yes');
    const opened = await h.api.waitFor('views.open', () => true, { since });
    let view = opened.args.view as View;
    // Accounts and the same-company answer were given: straight to the assets.
    expect(view.callback_id).toBe('transfer_wizard_assets');
    const empty = await submit(SLACK.alice.id, view, {});
    expect(empty.response_action).toBe('errors');
    expect(empty.errors).toEqual({ assets_licenses: 'Indiquez au moins un actif.' });

    // A search, then "Select all eligible (N)": the whole selection keeps the search it was made with.
    const redrawn = async (action: string, values: Record<string, unknown> = {}) => {
      const before = h.api.count();
      await h.interact(
        click(
          SLACK.alice.id,
          { action_id: action, value: 'x' },
          { view: { id: 'VSEARCH', type: 'modal', ...view, state: { values } } },
        ),
      );
      return (await h.api.waitFor('views.update', (c) => c.args.view_id === 'VSEARCH', { since: before }))
        .args.view as View;
    };
    const searched = await redrawn('wizard_asset_search', {
      asset_search: { wizard_asset_search: { type: 'plain_text_input', value: 'FOC' } },
    });
    expect(searched.blocks.find((b) => b.block_id === 'asset_search')?.element?.initial_value).toBe('FOC');
    // No license matches FOC: the Licenses tab offers no "Select all eligible"; the Devices tab counts
    // its eligible devices (those not struck through) and no license.
    expect(buttonIds({ method: 'views.update', args: { view: searched } } as never)).not.toContain(
      'wizard_select_all',
    );
    view = searched;
    view = await redrawn('wizard_tab_devices');
    const eligibleDevices = all(view).match(/• `SN:/g)?.length ?? 0;
    expect(eligibleDevices).toBeGreaterThan(0);
    expect(all(view)).toContain(`Sélectionner tous les actifs éligibles (${eligibleDevices})`);
    const withAll = await redrawn('wizard_select_all');
    const draftId = (JSON.parse(view.private_metadata) as { d: string }).d;
    expect((await h.deps.store.drafts.load(draftId))?.state['assets']).toEqual({
      refs: [],
      whole: [{ kind: 'devices', query: 'FOC' }],
    });
    // The review says it in words, with the search it is narrowed by.
    const review = await submit(SLACK.alice.id, { ...withAll, id: 'VSEARCH' }, {});
    expect(review.view?.callback_id).toBe('transfer_wizard_review');
    expect(all(review.view!)).toContain(
      `• ${translate('fr', 'common:whole.allDevices')} · ${translate('fr', 'slack:wizard.narrowedBy', { query: 'FOC' })}`,
    );
    expect(all(review.view!)).toContain('*Même entreprise*\\nOui');
  });

  it('keeps a whole selection from the line in the draft, counts it on the review and makes the transfer', async () => {
    let since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:DEFAULT devices');
    let view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    expect(view.callback_id).toBe('transfer_wizard_accounts');
    const draftId = (JSON.parse(view.private_metadata) as { d: string }).d;
    expect((await h.deps.store.drafts.load(draftId))?.state['assets']).toEqual({
      refs: [],
      whole: [{ virtualAccount: 'DEFAULT', kind: 'devices' }],
    });
    const review = await submit(SLACK.alice.id, view, {
      source: { wizard_source_sa: selected('fr-a.example') },
      destination: { wizard_destination_sa: selected('fr-b.example/DEFAULT') },
      same_company: { wizard_same_company: { type: 'radio_buttons', selected_option: { value: 'yes' } } },
    });
    view = { ...review.view!, id: 'VWHOLE' };
    expect(view.callback_id).toBe('transfer_wizard_review');
    // The whole selection in words, in Alice's French, never as typed.
    expect(all(view)).toContain('Tous les périphériques éligibles du compte virtuel DEFAULT');
    expect(all(view)).not.toContain('VA:DEFAULT');
    // SN:FOC0001 is in the request made above; SN:FOC0003 is on SSM On-Prem.
    expect(all(view)).toContain('DEFAULT\u00a0: licences 0 · périphériques 1');
    expect(all(view)).toContain('Laissés de côté, non éligibles (2)');
    expect(all(view)).toContain('SN:FOC0003');

    // Back to the assets: the whole selection is there, ticked, with "Select all eligible" for the search.
    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'wizard_change', value: 'assets' },
        { view: { type: 'modal', ...view } },
      ),
    );
    view = {
      ...((await h.api.waitFor('views.update', (c) => c.args.view_id === 'VWHOLE', { since })).args
        .view as View),
      id: 'VWHOLE',
    };
    expect(view.callback_id).toBe('transfer_wizard_assets');
    const whole = view.blocks.find((b) => b.block_id === 'assets_whole')?.element as {
      initial_options: { value: string; text: { text: string }; description?: { text: string } }[];
    };
    expect(whole.initial_options.map((o) => o.value)).toEqual(['VA:DEFAULT devices']);
    // The checkbox says it in Alice's words, with what one would type for it underneath.
    expect(whole.initial_options.map((o) => [o.text.text, o.description?.text])).toEqual([
      ['Tous les périphériques éligibles du compte virtuel DEFAULT', 'VA:DEFAULT devices'],
    ]);
    expect(buttonIds({ method: 'views.update', args: { view } } as never)).toContain('wizard_select_all');

    const again = await submit(SLACK.alice.id, view, {
      assets_whole: {
        wizard_whole: { type: 'checkboxes', selected_options: [{ value: 'VA:DEFAULT devices' }] },
      },
    });
    view = { ...again.view!, id: 'VWHOLE' };
    expect(view.callback_id).toBe('transfer_wizard_review');
    since = h.api.count();
    await submit(SLACK.alice.id, view, {});
    const result = await h.api.waitFor(
      'views.update',
      (c) => c.args.view_id === 'VWHOLE' && c.args.view.callback_id === 'transfer_wizard_result',
      { since },
    );
    const id = /AT-[0-9A-Z]{8}/.exec(JSON.stringify(result.args.view))![0];
    expect((await recorded(h.database.db, id)).items).toEqual(['SN:FOC0002']);
    // The draft answers no more steps; it names the transaction until the sweep removes it.
    expect((await h.deps.store.drafts.load(draftId))?.state['requested']).toBe(id);
  });

  it('a `new` typed in the Messages tab keeps what was typed in a draft the button opens', async () => {
    let since = h.api.count();
    await h.event({
      type: 'message',
      channel_type: 'im',
      channel: 'DUALICE',
      user: SLACK.alice.id,
      text: 'new from:fr-a.example to:be.example/DEFAULT same-company:no',
      ts: '2.1',
    });
    const posted = await h.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DUALICE', { since });
    const blocks = posted.args.blocks as {
      type: string;
      elements?: { action_id: string; value: string }[];
    }[];
    const open = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'wizard_open')!;
    // The button carries only the draft's id.
    expect((await h.deps.store.drafts.load(open.value))?.state).toMatchObject({
      source: { smartAccount: 'fr-a.example' },
      sameCompany: false,
    });
    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'wizard_open', value: open.value },
        { channel: 'DUALICE', ts: String(posted.result?.ts) },
      ),
    );
    const opened = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    // Accounts and the answer given: the form comes first.
    expect(opened.callback_id).toBe('transfer_wizard_form');
    expect(JSON.parse(opened.private_metadata)).toMatchObject({ d: open.value });
  });

  it('a click in a modal whose draft is gone, or by someone not in the inventory, is answered in the modal', async () => {
    const modal = (privateMetadata: string) => ({
      view: {
        id: 'VSTALE',
        type: 'modal',
        callback_id: 'transfer_wizard_accounts',
        private_metadata: privateMetadata,
        state: { values: {} },
      },
    });
    let since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'wizard_show_counts', value: 'counts' },
        modal(JSON.stringify({ d: 'no-such-draft' })),
      ),
    );
    const gone = await h.api.waitFor('views.update', (c) => c.args.view_id === 'VSTALE', { since });
    expect(JSON.stringify(gone.args.view)).toContain(translate('fr', 'core:journey.error.draftGone'));
    since = h.api.count();
    await h.interact(
      click(
        SLACK.eve.id,
        { action_id: 'wizard_show_counts', value: 'counts' },
        modal(JSON.stringify({ d: 'x' })),
      ),
    );
    const stranger = await h.api.waitFor('views.update', (c) => c.args.view_id === 'VSTALE', { since });
    expect(JSON.stringify(stranger.args.view)).not.toContain('wizard_');
  });

  it('a button whose draft is gone opens the wizard from the start, saying the earlier answers are gone, when no other request is in progress', async () => {
    const since = h.api.count();
    await h.interact(
      click(
        SLACK.bob.id,
        { action_id: 'wizard_open', value: 'no-such-draft' },
        { channel: 'DUBOB', ts: '3.1' },
      ),
    );
    const opened = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    expect(opened.callback_id).toBe('transfer_wizard_accounts');
    expect(JSON.stringify(opened.blocks)).toContain(translate('en', 'core:journey.error.draftGone'));
    expect(JSON.parse(opened.private_metadata).d).not.toBe('no-such-draft');
  });
});
