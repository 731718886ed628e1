import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import type { Json } from '../support/slack-api.js';
import { EMAILS } from '../support/world.js';
import { click, SLACK, submission, useSlack } from './harness.js';

type Block = { type: string; block_id?: string; dispatch_action?: boolean; element?: Record<string, Json> };
type View = { id?: string; hash?: string; callback_id: string; private_metadata: string; blocks: Block[] };
type Values = Record<string, Record<string, unknown>>;

const picked = (type: string, value: string) => ({ type, selected_option: { value, text: { text: value } } });
const typedText = (value: string) => ({ type: 'plain_text_input', value });

/** The transferor select of a form, wherever it is drawn. */
const transferorBlock = (view: View) =>
  view.blocks.find((b) => b.element?.['action_id'] === 'wizard_transferor');
const offered = (view: View) =>
  ((transferorBlock(view)?.element?.['options'] ?? []) as { value: string }[]).map((o) => o.value);
const initialTransferor = (view: View) =>
  (transferorBlock(view)?.element?.['initial_option'] as { value: string } | undefined)?.value;
const initialValue = (view: View, block: string): unknown =>
  view.blocks.find((b) => b.block_id === block)?.element?.['initial_value'];

describe.each(surfaceDrivers)(
  'Slack request form: the transferors once the transferee is chosen (%s)',
  (driver) => {
    const h = useSlack(driver);

    /** Paul, a partner, opens the form for Alice's company: Alice administers the source and the destination. */
    async function openForm(): Promise<View> {
      const since = h.api.count();
      await h.slash(
        SLACK.paul.id,
        'new from:<http://fr-a.example|fr-a.example> to:<http://be.example/DEFAULT|be.example/DEFAULT> same-company:no',
      );
      const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
      expect(view.callback_id).toBe('transfer_wizard_form');
      return { ...view, id: 'VFORM', hash: 'hash-1' };
    }

    /** A transferee picked in the form as Slack sends it (the form's other fields as they are), and the form redrawn. */
    async function chooseTransferee(view: View, email: string, values: Values): Promise<View> {
      const since = h.api.count();
      const state = {
        values: { ...values, transferee: { wizard_transferee: picked('external_select', email) } },
      };
      const res = await h.interact(
        click(
          SLACK.paul.id,
          { action_id: 'wizard_transferee', block_id: 'transferee', selected_option: { value: email } },
          { view: { type: 'modal', ...view, state } },
        ),
      );
      expect(res.status).toBe(200);
      const update = await h.api.waitFor('views.update', (c) => c.args.view_id === view.id, { since });
      // Drawn over the form the click came from, and refused by Slack if it changed in between.
      expect(update.args.hash).toBe(view.hash);
      return { ...(update.args.view as View), id: view.id, hash: `${view.hash}+` };
    }

    async function submit(view: View, values: Values) {
      const res = await h.interact(submission(SLACK.paul.id, { ...view, id: view.id ?? 'VFORM' }, values));
      expect(res.status).toBe(200);
      return (await res.json()) as { response_action: string; view?: View; errors?: Record<string, string> };
    }

    it('offers as transferor only those who may be, once the transferee is chosen, keeping what was typed', async () => {
      const form = await openForm();
      // Nobody chosen yet: every eligible admin of the source, and the choice to ask them all.
      expect(offered(form)).toEqual(['*', EMAILS.alice, EMAILS.carol]);
      expect(form.blocks.find((b) => b.block_id === 'transferee')?.dispatch_action).toBe(true);

      // Bob is no admin of the source: the transferors stay, and so does Alice, picked already.
      const others: Values = {
        justification: { wizard_justification: typedText('Integration of the Brussels lab') },
        legal_name: { wizard_legal_name: typedText('Lumière Réseaux Belgique SA (Bruxelles)') },
        terms: { wizard_terms: { type: 'checkboxes', selected_options: [{ value: 'accept' }] } },
      };
      const typed: Values = {
        ...others,
        transferor: { wizard_transferor: picked('static_select', EMAILS.alice) },
      };
      const withBob = await chooseTransferee(form, EMAILS.bob, typed);
      expect(offered(withBob)).toEqual(['*', EMAILS.alice, EMAILS.carol]);
      expect(initialTransferor(withBob)).toBe(EMAILS.alice);
      expect(transferorBlock(withBob)?.block_id).toBe(transferorBlock(form)?.block_id);

      // Alice as transferee: she is no longer offered as transferor, and her pick there is let go.
      const withAlice = await chooseTransferee(withBob, EMAILS.alice, typed);
      expect(offered(withAlice)).toEqual(['*', EMAILS.carol]);
      expect(initialTransferor(withAlice)).toBeUndefined();
      // A new block for the select, so Slack does not keep her picked there across the update.
      expect(transferorBlock(withAlice)?.block_id).not.toBe(transferorBlock(withBob)?.block_id);
      const transferee = withAlice.blocks.find((b) => b.block_id === 'transferee');
      expect((transferee?.element?.['initial_option'] as { value: string }).value).toBe(EMAILS.alice);
      expect(initialValue(withAlice, 'justification')).toBe('Integration of the Brussels lab');
      expect(initialValue(withAlice, 'legal_name')).toBe('Lumière Réseaux Belgique SA (Bruxelles)');
      expect(initialValue(withAlice, 'address')).toBe('Avenue Louise 1, Bruxelles');
      const terms = withAlice.blocks.find((b) => b.block_id === 'terms')?.element?.['initial_options'];
      expect(terms).toEqual([expect.objectContaining({ value: 'accept' })]);

      // "Ask every eligible admin" picked before is kept.
      const askAll = await chooseTransferee(withAlice, EMAILS.alice, {
        ...others,
        [transferorBlock(withAlice)!.block_id!]: { wizard_transferor: picked('static_select', '*') },
      });
      expect(initialTransferor(askAll)).toBe('*');
      expect(offered(askAll)).toEqual(['*', EMAILS.carol]);
    });

    it('still refuses on submission the transferee named as transferor, saying who may be', async () => {
      const form = await openForm();
      const redrawn = await chooseTransferee(form, EMAILS.alice, {});
      const values = (view: View, transferor: string): Values => ({
        transferee: { wizard_transferee: picked('external_select', EMAILS.alice) },
        [transferorBlock(view)!.block_id!]: { wizard_transferor: picked('static_select', transferor) },
        justification: { wizard_justification: typedText('Integration') },
        terms: { wizard_terms: { type: 'checkboxes', selected_options: [{ value: 'accept' }] } },
      });
      // A forged submission, of the form drawn before the transferee was chosen or of this one, naming
      // Alice as transferor too: the journey checks it again and says who may be, under the field.
      for (const view of [form, redrawn]) {
        expect(await submit(view, values(view, EMAILS.alice))).toEqual({
          response_action: 'errors',
          errors: {
            [transferorBlock(view)!.block_id!]: translate('en', 'core:journey.error.notCandidate', {
              answer: EMAILS.alice,
              people: EMAILS.carol,
            }),
          },
        });
      }
      const taken = await submit(redrawn, values(redrawn, EMAILS.carol));
      expect(taken.response_action).toBe('update');
      expect(taken.view?.callback_id).toBe('transfer_wizard_assets');
    });
  },
);
