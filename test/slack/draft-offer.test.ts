import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { drafts, users } from '../../db/schema.js';
import { formatDateTime, translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, buttonIds, click, SLACK, text, useSlack } from './harness.js';

type View = { callback_id: string; private_metadata: string; blocks: unknown[] };

describe.each(surfaceDrivers)('Slack: a request in progress is offered again (%s)', (driver) => {
  const h = useSlack(driver);

  const aliceDraft = async () => {
    const [alice] = await h.database.db.select().from(users).where(eq(users.email, SLACK.alice.email));
    const [row] = await h.database.db.select().from(drafts).where(eq(drafts.userId, alice!.id));
    return row;
  };

  /** `/transfer new` alone: the offer it answers on the response_url. */
  const offer = async () => {
    const since = h.api.count();
    const { responseUrl } = await h.slash(SLACK.alice.id, 'new');
    return answerTo(h, responseUrl, { since });
  };

  const press = async (actionId: string, value: string, userId: string = SLACK.alice.id) => {
    const since = h.api.count();
    const res = await h.interact(
      click(userId, { action_id: actionId, value }, { channel: 'CGENERAL', ts: '1', ephemeral: true }),
    );
    expect(res.status).toBe(200);
    return (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
  };

  it('offers Continue or Start over, saying when it was started and how far it got; Continue keeps every answer', async () => {
    let since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:<http://fr-a.example|fr-a.example>');
    await h.api.waitFor('views.open', () => true, { since });
    const started = await aliceDraft();
    expect(started?.state).toMatchObject({ source: { smartAccount: 'fr-a.example' } });

    // The modal was closed; `new` alone no longer starts an empty one over it.
    since = h.api.count();
    const offered = await offer();
    expect(
      h.api
        .calls()
        .slice(since)
        .filter((c) => c.method === 'views.open'),
    ).toEqual([]);
    const when = formatDateTime(started!.createdAt, 'fr', 'Europe/Paris');
    expect(String(offered.args.text)).toBe(
      `Vous avez une demande en cours, commencée le ${when} (fr-a.example → …).`,
    );
    expect(buttonIds(offered)).toEqual(['draft_continue', 'draft_start_over']);
    expect(text(offered)).toContain('Continuer');
    expect(text(offered)).toContain('Recommencer');
    expect((await aliceDraft())?.id).toBe(started!.id);

    const view = await press('draft_continue', started!.id);
    expect(view.callback_id).toBe('transfer_wizard_accounts');
    expect(view.private_metadata).toContain(started!.id);
    expect(JSON.stringify(view.blocks)).toContain('fr-a.example');
    expect((await aliceDraft())?.state).toEqual(started!.state);
  });

  it('Start over discards the draft for an empty wizard; its stale buttons then say the draft is gone', async () => {
    const before = (await aliceDraft())!;
    const offered = await offer();
    expect(buttonIds(offered)).toEqual(['draft_continue', 'draft_start_over']);
    const view = await press('draft_start_over', before.id);
    expect(view.callback_id).toBe('transfer_wizard_accounts');
    const after = (await aliceDraft())!;
    expect(after.id).not.toBe(before.id);
    expect(after.state).toEqual({});
    expect(view.private_metadata).toContain(after.id);

    // The earlier offer's buttons: nothing is opened on the new draft, and nothing replaces it.
    for (const action of ['draft_continue', 'draft_start_over']) {
      const stale = await press(action, before.id);
      expect(JSON.stringify(stale.blocks)).toContain(
        JSON.stringify(translate('fr', 'core:journey.error.draftGone')).slice(1, -1),
      );
      expect((await aliceDraft())?.id).toBe(after.id);
    }
    // An empty draft is not offered: `new` alone opens the wizard at once.
    const since = h.api.count();
    await h.slash(SLACK.alice.id, 'new');
    await h.api.waitFor('views.open', () => true, { since });
  });

  it('someone else’s button is refused as gone; `new` with options replaces the draft and says so', async () => {
    let since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:<http://fr-a.example|fr-a.example>');
    await h.api.waitFor('views.open', () => true, { since });
    const mine = (await aliceDraft())!;
    const bobs = await press('draft_continue', mine.id, SLACK.bob.id);
    expect(JSON.stringify(bobs.blocks)).toContain(
      JSON.stringify(translate('en', 'core:journey.error.draftGone')).slice(1, -1),
    );
    expect((await aliceDraft())?.id).toBe(mine.id);

    since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:<http://be.example|be.example>');
    const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
    expect(JSON.stringify(view.blocks)).toContain(translate('fr', 'core:journey.inProgress.replaced'));
    expect((await aliceDraft())?.state).toMatchObject({ source: { smartAccount: 'be.example' } });
  });

  it('in the Messages tab, `new` alone answers the offer with its two buttons', async () => {
    const since = h.api.count();
    await h.event({
      type: 'message',
      channel_type: 'im',
      channel: 'DALICE',
      user: SLACK.alice.id,
      text: 'new',
    });
    const posted = await h.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DALICE', { since });
    expect(String(posted.args.text)).toContain('be.example → …');
    expect(buttonIds(posted)).toEqual(['draft_continue', 'draft_start_over']);
  });

  it('the shortcut and the Home tab’s button offer it first, in a modal whose buttons become the wizard', async () => {
    // Alice's draft holds be.example as its source (the test before).
    const before = (await aliceDraft())!;
    let since = h.api.count();
    await h.interact({
      type: 'shortcut',
      callback_id: 'request_transfer',
      user: { id: SLACK.alice.id },
      trigger_id: 'trigger-offer',
      action_ts: '1',
    });
    const opened = await h.api.waitFor('views.open', () => true, { since });
    const offerView = opened.args.view as View & { id?: string };
    expect(JSON.stringify(offerView.blocks)).toContain('(be.example → …)');
    expect(buttonIds(opened)).toEqual(['draft_continue', 'draft_start_over']);
    expect((await aliceDraft())?.id).toBe(before.id);

    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'draft_continue', value: before.id },
        { view: { id: 'VOFFER', type: 'modal' } },
      ),
    );
    const updated = await h.api.waitFor('views.update', () => true, { since });
    expect(updated.args.view_id).toBe('VOFFER');
    expect((updated.args.view as View).private_metadata).toContain(before.id);

    since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'home_request_transfer', value: 'new' },
        { view: { id: 'VHOME', type: 'home' } },
      ),
    );
    const fromHome = await h.api.waitFor('views.open', () => true, { since });
    expect(buttonIds(fromHome)).toEqual(['draft_continue', 'draft_start_over']);
    expect((await aliceDraft())?.id).toBe(before.id);
  });
  it('an older message’s Request Asset Transfer button whose draft is gone offers the newer one, saying so', async () => {
    let since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:<http://fr-a.example|fr-a.example>');
    await h.api.waitFor('views.open', () => true, { since });
    const older = (await aliceDraft())!;
    since = h.api.count();
    await h.slash(SLACK.alice.id, 'new from:<http://be.example|be.example>');
    await h.api.waitFor('views.open', () => true, { since });
    const newer = (await aliceDraft())!;
    expect(newer.id).not.toBe(older.id);

    // The button of the message that opened the older draft: the newer one is offered, not replaced.
    since = h.api.count();
    await h.interact(
      click(SLACK.alice.id, { action_id: 'wizard_open', value: older.id }, { channel: 'DALICE', ts: '4.1' }),
    );
    const opened = await h.api.waitFor('views.open', () => true, { since });
    const blocks = JSON.stringify((opened.args.view as View).blocks);
    expect(blocks).toContain(JSON.stringify(translate('fr', 'core:journey.error.draftGone')).slice(1, -1));
    expect(blocks).toContain('(be.example → …)');
    expect(buttonIds(opened)).toEqual(['draft_continue', 'draft_start_over']);
    expect(blocks).toContain(`"value":"${newer.id}"`);
    expect((await aliceDraft())?.id).toBe(newer.id);
    expect((await aliceDraft())?.state).toEqual(newer.state);
  });
});
