import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { userIdentities, users } from '../../db/schema.js';
import { DeliveryError, type Address } from '../../src/app/delivery-port.js';
import { buildDecisionCard } from '../../src/app/cards.js';
import { consentTransfer, submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { userTarget } from '../../src/delivery/targets.js';
import { msg, tr } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { actor, EMAILS } from '../support/world.js';
import { COMPLIANCE, SLACK, startSlack, text, type SlackHarness } from './harness.js';

describe.each(surfaceDrivers)('the Slack sender used by the delivery worker (%s)', (driver) => {
  let h: SlackHarness;
  const alice: Address = {
    platform: 'slack',
    id: SLACK.alice.id,
    reader: { locale: 'fr', timeZone: 'Europe/Paris' },
  };
  const english = { locale: 'en', timeZone: 'UTC' } as const;
  beforeAll(async () => {
    h = await startSlack(driver);
  });
  afterAll(() => h.close());

  const content = {
    text: msg('core:notify.statusChanged', { id: 'AT-AAAABBBB', status: 'submitted' }),
    lines: [],
    transferId: 'AT-AAAABBBB',
  };

  async function failure(run: () => Promise<unknown>): Promise<DeliveryError> {
    try {
      await run();
    } catch (err) {
      if (err instanceof DeliveryError) return err;
      throw err;
    }
    throw new Error('expected a DeliveryError');
  }

  it('sends a status message as a direct message to the user id, in the address language', async () => {
    const since = h.api.count();
    await h.adapter.sender.sendMessage(alice, content);
    const [posted] = h.api.calls().slice(since);
    expect(posted?.method).toBe('chat.postMessage');
    expect(posted?.args.channel).toBe(SLACK.alice.id);
    expect(posted?.args.text).toBe(tr('fr', content.text));
    expect(posted?.args.text).toContain('AT-AAAABBBB');
    expect(posted?.args.text).not.toBe(tr('en', content.text));
  });

  it('turns HTTP 500 into a retryable DeliveryError', async () => {
    h.api.failNext('chat.postMessage', { status: 500 });
    const err = await failure(() => h.adapter.sender.sendMessage(alice, content));
    expect(err.options.permanent).toBeUndefined();
    expect(err.options.retryAfterMs).toBeUndefined();
    expect(err.message).toContain('HTTP 500');
  });

  it('turns a 429 with Retry-After into a DeliveryError carrying it, without waiting', async () => {
    h.api.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const started = Date.now();
    const err = await failure(() => h.adapter.sender.sendMessage(alice, content));
    expect(err.options.retryAfterMs).toBe(7000);
    expect(err.options.permanent).toBeUndefined();
    // Waiting would have taken the seven seconds asked for.
    expect(Date.now() - started).toBeLessThan(7000);
  });

  it('gives up at once on a user or channel Slack does not know', async () => {
    h.api.failNext('chat.postMessage', { error: 'user_not_found' });
    expect((await failure(() => h.adapter.sender.sendMessage(alice, content))).options.permanent).toBe(true);
    const alice2 = await actor(h.database.db, 'alice', 'slack');
    const requested = await requestTransfer(h.deps, alice2, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:105-1')!],
      sameCompany: false,
      transferee: EMAILS.bob,
      justification: 'x',
      termsAccepted: true,
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    await submitTransfer(h.deps, alice2, requested.value.state.id);
    const card = (await buildDecisionCard(h.deps, requested.value.state.id, 'consent:transferee'))!;
    h.api.failNext('chat.update', { error: 'channel_not_found' });
    const gone = await failure(() =>
      h.adapter.sender.updateCard({ channel: 'CGONE', ts: '1.2' }, card, english),
    );
    expect(gone.options.permanent).toBe(true);
    // The same card updates fine where it exists: the redraw shows its live buttons while undecided.
    const since = h.api.count();
    await h.adapter.sender.updateCard({ channel: 'DUBOB', ts: '1.2' }, card, english);
    expect(JSON.stringify(h.api.calls().slice(since)[0]?.args.blocks)).toContain('consent_approve');
    const notSlack = await failure(() =>
      h.adapter.sender.updateCard({ conversationId: 'teams' }, {} as never, english),
    );
    expect(notSlack.options.permanent).toBe(true);
  });

  it('finds a person known only by e-mail, links them, and reaches them in their Slack language', async () => {
    const carol = (await h.deps.store.users.findUser({ email: EMAILS.carol }))!;
    expect(carol.identities.slack).toBeUndefined();
    // Carol has no zone in the inventory: the one Slack gives is hers.
    const target = await userTarget([h.adapter.sender], carol, 'UTC');
    expect(target?.address).toEqual({
      platform: 'slack',
      id: SLACK.carol.id,
      reader: { locale: 'fr', timeZone: 'Europe/Paris' },
    });
    expect(h.api.calls('users.lookupByEmail').map((c) => String(c.args.email))).toContain(EMAILS.carol);
    const linked = (await h.deps.store.users.findUser({ email: EMAILS.carol }))!;
    expect(linked.identities.slack).toBe(SLACK.carol.id);
    // Her next message, found by the link without asking Slack again, reads in the same zone.
    const lookups = h.api.calls('users.lookupByEmail').length;
    expect((await userTarget([h.adapter.sender], linked, 'UTC'))?.address.reader).toEqual({
      locale: 'fr',
      timeZone: 'Europe/Paris',
    });
    expect(h.api.calls('users.lookupByEmail')).toHaveLength(lookups);

    // Olga has no Slack account: not reachable here (the worker tries other platforms, then reports it).
    const olga = (await h.deps.store.users.findUser({ email: EMAILS.olga }))!;
    expect(await h.adapter.sender.resolveUser(olga)).toBeNull();
  });

  it('posts a decision card and redraws it once decided in the same zone: the one the inventory gives its reader', async () => {
    await h.database.db.update(users).set({ timeZone: 'Asia/Tokyo' }).where(eq(users.email, EMAILS.bob));
    try {
      const id = await awaitingConsent(h.deps, 'SN:FOC0001');
      let since = h.api.count();
      await h.deliver();
      const posted = await h.api.waitFor(
        'chat.postMessage',
        (c) => c.args.channel === SLACK.bob.id && text(c).includes('consent_approve') && text(c).includes(id),
        { since },
      );
      expect(text(posted)).toContain('GMT+9');

      await consentTransfer(h.deps, await actor(h.database.db, 'bob', 'slack'), id, 'approve');
      since = h.api.count();
      await h.deliver();
      const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === posted.result?.ts, { since });
      expect(text(redrawn)).toContain('Approved by Bob Peeters');
      expect(text(redrawn)).toContain('GMT+9');
      expect(text(redrawn)).not.toContain(' UTC');
    } finally {
      await h.database.db.update(users).set({ timeZone: null }).where(eq(users.email, EMAILS.bob));
    }
  });

  it('knows the compliance channel and nothing else', () => {
    expect(h.adapter.sender.resolveChannel('compliance')).toMatchObject({ id: COMPLIANCE });
    expect(h.adapter.sender.resolveChannel('finance')).toBeNull();
  });

  it('uploads a file with files upload v2 into the direct message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slack-sender-'));
    const path = join(dir, 'AT-AAAABBBB.xlsx');
    writeFileSync(path, Buffer.alloc(1234, 1));
    const since = h.api.count();
    await h.adapter.sender.sendFile(alice, {
      path,
      name: 'AT-AAAABBBB.xlsx',
      title: msg('core:reply.exported', { name: 'AT-AAAABBBB.xlsx' }),
    });
    const calls = h.api.calls().slice(since);
    expect(calls.map((c) => c.method)).toEqual([
      'conversations.open',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    expect(calls[1]?.args).toMatchObject({ filename: 'AT-AAAABBBB.xlsx', length: '1234' });
    expect(calls[2]?.args.bytes).toBeGreaterThan(0);
    expect(calls[3]?.args.channel_id).toBe(`D${SLACK.alice.id}`);
  });

  // Last: Bob's Slack language is then stored as Japanese.
  it('reaches someone linked whose Slack language is not stored yet in it (and zone) when the inventory gives none', async () => {
    // Bob is linked on Slack; with no language nor zone in the inventory, and his Slack set to Japanese.
    await h.database.db
      .update(users)
      .set({ locale: null, timeZone: null })
      .where(eq(users.email, EMAILS.bob));
    const bobId = (await h.deps.store.users.findUser({ email: EMAILS.bob }))!.id;
    await h.database.db
      .update(userIdentities)
      .set({ locale: null, localeAt: null })
      .where(eq(userIdentities.userId, bobId));
    h.api.addPerson({ ...SLACK.bob, locale: 'ja-JP', tz: 'Asia/Tokyo' });
    try {
      const bob = (await h.deps.store.users.findUser({ email: EMAILS.bob }))!;
      const asked = () => h.api.calls('users.info').filter((c) => c.args.user === SLACK.bob.id).length;
      const before = asked();
      // An instance that has not asked Slack of him lately (the earlier messages to him did).
      const fresh = (await h.another()).adapter.sender;
      expect((await userTarget([fresh], bob, 'UTC'))?.address.reader).toEqual({
        locale: 'ja',
        timeZone: 'Asia/Tokyo',
      });
      expect(asked()).toBe(before + 1);
      // Stored: his next message, from another instance still, does not ask Slack again.
      const again = (await h.deps.store.users.findUser({ email: EMAILS.bob }))!;
      expect(
        (await userTarget([(await h.another()).adapter.sender], again, 'UTC'))?.address.reader.locale,
      ).toBe('ja');
      expect(asked()).toBe(before + 1);
    } finally {
      await h.database.db
        .update(users)
        .set({ locale: 'en', timeZone: null })
        .where(eq(users.email, EMAILS.bob));
      h.api.addPerson(SLACK.bob);
    }
  });
});
