import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfers } from '../../db/schema.js';
import { encodeMetadata } from '../../adapters/slack/wizard/state.js';
import { startDraft } from '../../src/app/journey/drafts.js';
import { supportFooter } from '../../src/app/guides.js';
import { translate } from '../../src/i18n/index.js';
import { drivers } from '../support/db.js';
import { failReadsOf, failWrites } from '../support/failing-writes.js';
import type { Json } from '../support/slack-api.js';
import { awaitingConsent, pendingSubmission } from '../support/transfers.js';
import { actorIn } from '../support/world.js';
import {
  answerTo,
  cardClick,
  click,
  SLACK,
  startSlack,
  submission,
  useSlack,
  type SlackHarness,
} from './harness.js';

const GENERIC = {
  en: `${translate('en', 'core:failure.nothingChanged')}\n${supportFooter('en', undefined)}`,
  fr: `${translate('fr', 'core:failure.nothingChanged')}\n${supportFooter('fr', undefined)}`,
};

/** What a person could notice of a transfer: its status and its record. */
async function snapshot(h: SlackHarness, id: string) {
  return { status: await h.status(id), history: (await h.history(id)).length };
}

const viewText = (v: Json): string => JSON.stringify(v?.blocks ?? v).replaceAll('\\n', '\n');

describe.each(drivers)('Slack: a failure on our side after a click (%s)', (driver) => {
  const h = useSlack(driver);

  it('a card click while the database fails mid-way: the clicker is told, nothing changed, and a retry works', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-1');
    const before = await snapshot(h, id);
    const card = { channel: 'DUBOB', ts: '1700000001.000100' };
    const heal = await failWrites(h.database.db);
    let since = h.api.count();
    try {
      const res = await h.interact(
        cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card),
      );
      expect(res.status).toBe(200);
      const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.bob.id, { since });
      expect(told.args).toMatchObject({ channel: card.channel, text: GENERIC.en });
      expect(await snapshot(h, id)).toEqual(before);
      expect(h.api.calls('chat.update').filter((c) => c.args.ts === card.ts)).toEqual([]);
    } finally {
      await heal();
    }
    since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card));
    await h.api.waitFor('chat.update', (c) => c.args.ts === card.ts, { since });
    expect(await h.status(id)).toBe('compliance_screening');
    expect(await h.history(id, 'consent.approve')).toHaveLength(1);
  });

  it('through the response_url when the click carries one, in the clicker’s language', async () => {
    const id = await pendingSubmission(h.deps, 'SO:103-1');
    const before = await snapshot(h, id);
    const heal = await failWrites(h.database.db);
    try {
      const since = h.api.count();
      const responseUrl = h.api.responseUrl();
      await h.interact(
        click(
          SLACK.alice.id,
          { action_id: 'transfer_submit', value: id },
          { channel: 'DUALICE', ts: '1700000002.000100', ephemeral: true, responseUrl },
        ),
      );
      const told = await answerTo(h, responseUrl, { since });
      expect(told.args).toMatchObject({
        response_type: 'ephemeral',
        replace_original: false,
        text: GENERIC.fr,
      });
      expect(h.api.calls('chat.postEphemeral').slice(since)).toEqual([]);
      expect(await snapshot(h, id)).toEqual(before);
    } finally {
      await heal();
    }
  });

  it('a modal submission that fails is answered with a modal on top, the form kept underneath', async () => {
    const id = await awaitingConsent(h.deps, 'SO:104-1');
    let since = h.api.count();
    await h.interact(
      cardClick(SLACK.bob.id, 'consent_reject', id, 'consent:transferee', {
        channel: 'DUBOB',
        ts: '1700000003.000100',
      }),
    );
    const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as Record<
      string,
      unknown
    >;
    expect(view.callback_id).toBe('reject_reason');
    const before = await snapshot(h, id);
    const heal = await failWrites(h.database.db);
    try {
      since = h.api.count();
      const res = await h.interact(
        submission(SLACK.bob.id, view, {
          reason: { reason: { type: 'plain_text_input', value: 'No budget' } },
        }),
      );
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { response_action: string; view: Json };
      expect(answer.response_action).toBe('push');
      expect(viewText(answer.view)).toContain(GENERIC.en);
      expect(await snapshot(h, id)).toEqual(before);
      expect(h.api.calls('chat.update').slice(since)).toEqual([]);
    } finally {
      await heal();
    }
  });

  it('the wizard’s Submit for Review failing after “validating…” replaces it with the message; no request is made', async () => {
    const state = {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      sameCompany: true,
      assets: { refs: ['SO:105-1'], whole: [] },
    };
    const draft = await startDraft(h.deps, await actorIn(h.deps, 'alice', 'slack'), state);
    const count = async () => (await h.database.db.select({ id: transfers.id }).from(transfers)).length;
    const before = await count();
    const heal = await failWrites(h.database.db);
    try {
      const since = h.api.count();
      const res = await h.interact(
        submission(SLACK.alice.id, {
          id: 'VWIZFAIL',
          callback_id: 'transfer_wizard_review',
          private_metadata: encodeMetadata({ d: draft.id, tab: 'licenses' }),
        }),
      );
      expect(((await res.json()) as { response_action: string }).response_action).toBe('update');
      const replaced = await h.api.waitFor(
        'views.update',
        (c) => c.args.view_id === 'VWIZFAIL' && viewText(c.args.view).includes(GENERIC.fr),
        { since },
      );
      expect(replaced.args.view.type).toBe('modal');
      expect(await count()).toBe(before);
    } finally {
      await heal();
    }
  });

  it('a failure after the change is made says it went through; with no ephemeral possible, in a direct message', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-2');
    const card = { channel: 'CGONE', ts: '1700000004.000100' };
    // The change commits; then Slack refuses to redraw the card and to post in that channel.
    h.api.failNext('chat.update', { error: 'channel_not_found' });
    h.api.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    const since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card));
    const dm = await h.api.waitFor('chat.postMessage', (c) => c.args.channel === SLACK.bob.id, { since });
    expect(dm.args.text).toBe(
      `Done: transaction ${id} is recorded, but something went wrong on our side while showing the result. ` +
        `Type /transfer show ${id} to see where it stands; there is no need to do it again.\n` +
        supportFooter('en', undefined),
    );
    expect(await h.status(id)).toBe('compliance_screening');
  });

  it('a command typed in the Messages tab failing after its change: says it is done and how to see it', async () => {
    const id = await awaitingConsent(h.deps, 'SN:FOC0001');
    const since = h.api.count();
    const heal = await failReadsOf(h.database.db, 'transfer_items');
    try {
      await h.event({
        type: 'message',
        channel: 'DBOB',
        channel_type: 'im',
        user: SLACK.bob.id,
        text: `consent ${id} approve`,
      });
      const told = await h.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DBOB', { since });
      expect(told.args.text).toBe(
        `Done: transaction ${id} is recorded, but something went wrong on our side while showing the result. ` +
          `Type /transfer show ${id} to see where it stands; there is no need to do it again.\n` +
          supportFooter('en', undefined),
      );
    } finally {
      await heal();
    }
    expect(await h.status(id)).toBe('compliance_screening');
  });
});

describe.each(drivers)('Slack: clicks while the database is down (%s)', (driver) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack(driver);
    await h.database.close();
  });
  afterAll(() => h.close());

  it('a card click: an ephemeral message in the language Slack gives for the person', async () => {
    const since = h.api.count();
    await h.interact(
      cardClick(SLACK.alice.id, 'consent_approve', 'AT-2222BBBB', 'consent:transferee', {
        channel: 'CGENERAL',
        ts: '1700000005.000100',
      }),
    );
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.alice.id, { since });
    expect(told.args.text).toBe(GENERIC.fr);
  });

  it('a command typed in the Messages tab: the answer says something went wrong and nothing changed', async () => {
    const since = h.api.count();
    const res = await h.event({
      type: 'message',
      channel: 'DALICE',
      channel_type: 'im',
      user: SLACK.alice.id,
      text: 'list',
    });
    expect(res.status).toBe(200);
    const told = await h.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DALICE', { since });
    expect(told.args.text).toBe(GENERIC.fr);
  });

  it('a slash command: the answer through its response_url says so, in the language Slack gives for the person', async () => {
    const since = h.api.count();
    const { res, responseUrl } = await h.slash(SLACK.alice.id, 'list');
    expect(res.status).toBe(200);
    const told = await answerTo(h, responseUrl, { since });
    expect(told.args.text).toBe(GENERIC.fr);
  });

  it('a click on the Home tab: a small modal, since nothing can be posted there', async () => {
    const since = h.api.count();
    await h.interact(
      click(
        SLACK.bob.id,
        { action_id: 'home_switch_sa', selected_option: { value: 'be.example' } },
        { view: { id: 'VHOME', type: 'home' } },
      ),
    );
    const opened = await h.api.waitFor('views.open', () => true, { since });
    expect(viewText(opened.args.view)).toContain(GENERIC.en);
  });

  it('a modal submission: a modal pushed on top; a typeahead: an empty list rather than an error', async () => {
    const meta = { id: 'AT-2222BBBB', kind: 'consent', origin: { kind: 'home' } };
    const res = await h.interact(
      submission(SLACK.alice.id, { callback_id: 'reject_reason', private_metadata: JSON.stringify(meta) }),
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { response_action: string; view: Json };
    expect(answer.response_action).toBe('push');
    expect(viewText(answer.view)).toContain(GENERIC.fr);

    const options = await h.interact({
      type: 'block_suggestion',
      user: { id: SLACK.alice.id },
      action_id: 'wizard_source_sa',
      block_id: 'source',
      value: 'fr',
    });
    expect(options.status).toBe(200);
    expect(await options.json()).toEqual({ options: [] });
  });
});
