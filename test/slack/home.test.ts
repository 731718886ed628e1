import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { roleGrants, smartAccounts, users } from '../../db/schema.js';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';
import {
  answerTo,
  buttonIds,
  click,
  requestAndSubmit,
  SLACK,
  text,
  useSlack,
  openHome,
  type HomeBlock,
} from './harness.js';

describe.each(surfaceDrivers)('App Home and the typed commands (%s)', (driver) => {
  const h = useSlack(driver);

  const home = (userId: string) => openHome(h, userId);

  it('shows the landing page: current Smart Account, its transactions with the right buttons, and Request', async () => {
    const { id } = await requestAndSubmit(h, 'SO:100-1');
    const view = await home(SLACK.bob.id);
    expect(view.type).toBe('home');
    const switcher = view.blocks.find((b) => b.accessory?.action_id === 'home_switch_sa');
    expect(switcher?.accessory?.options?.map((o) => o.value)).toEqual(['be.example']);
    expect(switcher?.accessory?.initial_option?.value).toBe('be.example');
    const row = view.blocks.find((b) => b.block_id === `home_row:${id}`);
    // Bob is asked to consent: View / Provide Consent, and Download.
    expect(row?.elements?.map((e) => [e.action_id, e.value])).toEqual([
      ['home_consent', id],
      ['home_download', id],
    ]);
    expect(JSON.stringify(view.blocks)).toContain('Submitted – Awaiting Transferor/Transferee Consent');
    expect(view.blocks.some((b) => b.elements?.some((e) => e.action_id === 'home_request_transfer'))).toBe(
      true,
    );

    // Alice (French) sees it too, with a plain View: she is not asked for anything.
    const alice = await home(SLACK.alice.id);
    const aliceRow = alice.blocks.find((b) => b.block_id === `home_row:${id}`);
    expect(aliceRow?.elements?.map((e) => e.action_id)).toEqual(['home_view', 'home_download']);
    expect(JSON.stringify(alice.blocks)).toContain('Compte Smart actuel');

    // View / Provide Consent opens the transfer in a modal with Approve and Reject.
    const since = h.api.count();
    await h.interact(
      click(
        SLACK.bob.id,
        { action_id: 'home_consent', value: id, block_id: `home_row:${id}` },
        { view: { id: 'VHOME', type: 'home' } },
      ),
    );
    const opened = await h.api.waitFor('views.open', () => true, { since });
    expect(buttonIds(opened)).toEqual(
      expect.arrayContaining(['consent_approve', 'consent_reject', 'transfer_download']),
    );

    // Approving inside that modal redraws it, and the Home tab no longer asks Bob for anything.
    const modalId = String(opened.result?.view?.id);
    const since2 = h.api.count();
    await h.interact(
      click(
        SLACK.bob.id,
        { action_id: 'consent_approve', value: id, block_id: 'transfer' },
        { view: { id: modalId, type: 'modal', ...opened.args.view } },
      ),
    );
    const redrawn = await h.api.waitFor('views.update', (c) => c.args.view_id === modalId, { since: since2 });
    expect(buttonIds(redrawn)).not.toContain('consent_approve');
    expect(JSON.stringify(redrawn.args.view)).toContain('Compliance Screening');
    const republished = await h.api.waitFor('views.publish', (c) => c.args.user_id === SLACK.bob.id, {
      since: since2,
    });
    const newRow = (republished.args.view.blocks as HomeBlock[]).find((b) => b.block_id === `home_row:${id}`);
    expect(newRow?.elements?.map((e) => e.action_id)).toEqual(['home_view', 'home_download']);
  });

  it('asks the transferor of a partner’s request to View / Provide Consent, and the partner only to View', async () => {
    // Paul (a partner) asks; Alice, an admin of the source for its own company, must consent as transferor.
    const id = await awaitingConsent(h.deps, 'SO:100-2', { requester: 'paul' });
    const row = (await home(SLACK.alice.id)).blocks.find((b) => b.block_id === `home_row:${id}`);
    expect(row?.elements?.map((e) => e.action_id)).toEqual(['home_consent', 'home_download']);
    const partnerRow = (await home(SLACK.paul.id)).blocks.find((b) => b.block_id === `home_row:${id}`);
    expect(partnerRow?.elements?.map((e) => e.action_id)).toEqual(['home_view', 'home_download']);
  });

  it('switches the current Smart Account with `use` semantics and redraws the page', async () => {
    const since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'home_switch_sa', selected_option: { value: 'fr-b.example' } },
        { view: { id: 'VHOME', type: 'home' } },
      ),
    );
    const published = await h.api.waitFor('views.publish', (c) => c.args.user_id === SLACK.alice.id, {
      since,
    });
    const switcher = (published.args.view.blocks as HomeBlock[]).find(
      (b) => b.accessory?.action_id === 'home_switch_sa',
    );
    expect(switcher?.accessory?.initial_option?.value).toBe('fr-b.example');
    const alice = await h.deps.store.users.findUser({ email: EMAILS.alice });
    expect(alice?.currentSmartAccountId).not.toBeNull();
    // `list` without an account now shows fr-b.example's transactions.
    const { responseUrl } = await h.slash(SLACK.alice.id, 'list');
    const listed = await answerTo(h, responseUrl, { since });
    expect(text(listed)).toContain('fr-b.example');
  });

  it('opens the wizard from the Home button and from the global shortcut', async () => {
    let since = h.api.count();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'home_request_transfer', value: 'new' },
        { view: { id: 'VHOME', type: 'home' } },
      ),
    );
    expect((await h.api.waitFor('views.open', () => true, { since })).args.view.callback_id).toBe(
      'transfer_wizard_accounts',
    );
    since = h.api.count();
    await h.interact({
      type: 'shortcut',
      callback_id: 'request_transfer',
      user: { id: SLACK.bob.id },
      trigger_id: 'trigger-shortcut',
      action_ts: '1',
    });
    const opened = await h.api.waitFor('views.open', () => true, { since });
    expect(opened.args.trigger_id).toBe('trigger-shortcut');
    expect(opened.args.view.callback_id).toBe('transfer_wizard_accounts');
  });

  it('answers commands typed in the Messages tab, and uploads an export to the direct message', async () => {
    const since = h.api.count();
    await h.event({
      type: 'message',
      channel_type: 'im',
      channel: 'DUBOB',
      user: SLACK.bob.id,
      text: 'accounts',
      ts: '1.1',
    });
    const answer = await h.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === 'DUBOB' && text(c).includes('be.example'),
      { since },
    );
    expect(answer.args.text).toBe('Smart Accounts you administer');
    const { responseUrl } = await h.slash(SLACK.alice.id, 'export fr-a.example');
    const done = await answerTo(h, responseUrl, { since });
    const name = /transactions-fr-a\.example\S*\.xlsx/.exec(String(done.args.text))?.[0];
    expect(name).toBeDefined();
    expect((await h.api.waitFor('files.getUploadURLExternal', () => true, { since })).args.filename).toBe(
      name,
    );
    const complete = await h.api.waitFor('files.completeUploadExternal', () => true, { since });
    expect(complete.args.channel_id).toBe(`D${SLACK.alice.id}`);
    // Uploaded before the answer came: the bot's copy is gone from the export folder.
    expect(existsSync(join(h.deps.config.exportDir, name!))).toBe(false);
    expect(
      h.api
        .calls()
        .slice(since)
        .some((c) => c.method === 'upload'),
    ).toBe(true);
  });

  it('names Smart Accounts in the reader’s brackets: full-width in Japanese, as before in English and French', async () => {
    // Aoi administers be.example and reads Slack in Japanese.
    const aoi = { id: 'UAOI', email: 'aoi@be.example', locale: 'ja-JP', tz: 'Asia/Tokyo' };
    const [person] = await h.database.db
      .insert(users)
      .values({ email: aoi.email, name: '鈴木 葵', locale: 'ja', legalEntityId: 'be' })
      .returning();
    const [be] = await h.database.db
      .select()
      .from(smartAccounts)
      .where(eq(smartAccounts.domain, 'be.example'));
    await h.database.db
      .insert(roleGrants)
      .values({ userId: person!.id, smartAccountId: be!.id, role: 'admin' });
    h.api.addPerson(aoi);
    const id = await awaitingConsent(h.deps, 'SO:105-1');

    const japanese = JSON.stringify((await home(aoi.id)).blocks);
    expect(japanese).toContain('Lumière Belgique（be.example） — ');
    expect(japanese).toContain('"text":"Lumière Belgique（be.example）"'); // the switcher's option
    expect(japanese).toContain('Lumière Lyon（fr-a.example） → Lumière Belgique（be.example）');
    let since = h.api.count();
    const { responseUrl } = await h.slash(aoi.id, `show ${id}`);
    const shown = text(await answerTo(h, responseUrl, { since }));
    expect(shown).toContain('Lumière Lyon（fr-a.example）');
    expect(shown).toContain('Lumière Belgique（be.example） / DEFAULT');
    expect(`${japanese}${shown}`).not.toMatch(/ \((?:fr-a|be)\.example\)/);

    expect(JSON.stringify((await home(SLACK.bob.id)).blocks)).toContain(
      'Lumière Lyon (fr-a.example) → Lumière Belgique (be.example)',
    );
    since = h.api.count();
    const asked = await h.slash(SLACK.alice.id, `show ${id}`);
    expect(text(await answerTo(h, asked.responseUrl, { since }))).toContain(
      'Lumière Belgique (be.example) / DEFAULT',
    );
  });

  it('tells a person outside the inventory so on the Home tab', async () => {
    const view = await home(SLACK.stranger.id);
    expect(JSON.stringify(view.blocks)).toContain('You are not in the inventory');
    expect(view.blocks.some((b) => b.accessory?.action_id === 'home_switch_sa')).toBe(false);
  });
});
