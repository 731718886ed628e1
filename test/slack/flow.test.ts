import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import {
  answerTo,
  buttonIds,
  cardClick,
  click,
  COMPLIANCE,
  deliverCard,
  requestAndSubmit,
  SLACK,
  text,
  where,
  useSlack,
} from './harness.js';

describe.each(surfaceDrivers)('a transfer to another company, all in Slack (%s)', (driver) => {
  const h = useSlack(driver);

  async function refusals(id: string) {
    const rows = await h.history(id);
    return rows
      .filter((r) => r.action.startsWith('refused.'))
      .map((r) => `${r.actor} ${r.action} ${r.reason}`);
  }

  it('walks a request typed in one line through consent and compliance to completion', async () => {
    const { id, card, created } = await requestAndSubmit(h);
    // The reply names the transaction and its status in Alice's language, with Submit and Cancel.
    expect(String(created.args.text)).toContain('Envoi en attente');
    expect(buttonIds(created)).toEqual(expect.arrayContaining(['transfer_submit', 'transfer_cancel']));
    expect(text(created)).toContain('Opening of the Brussels office &amp; lab');
    expect(await h.status(id)).toBe('awaiting_consent');

    // Cancel clicked on that reply once the transfer was submitted: the reply is drawn as the transfer is
    // now, saying why, and its Submit and Cancel go; nothing changes.
    const staleSince = h.api.count();
    const responseUrl = h.api.responseUrl();
    await h.interact(
      click(
        SLACK.alice.id,
        { action_id: 'transfer_cancel', value: id },
        { channel: 'DUALICE', ts: '1700000002.000100', ephemeral: true, responseUrl },
      ),
    );
    const redrawnReply = await answerTo(h, responseUrl, { since: staleSince });
    expect(redrawnReply.args).toMatchObject({ replace_original: true });
    expect(String(redrawnReply.args.text)).toContain(
      'un transfert ne peut être annulé qu’avant sa soumission',
    );
    expect(buttonIds(redrawnReply)).not.toContain('transfer_cancel');
    expect(buttonIds(redrawnReply)).not.toContain('transfer_submit');
    expect(await h.status(id)).toBe('awaiting_consent');

    // Bob's consent card: a DM to his user id, with the contract's action ids carrying the transaction id.
    const consentButtons = (
      card.args.blocks as {
        type: string;
        block_id?: string;
        elements?: { action_id: string; value: string }[];
      }[]
    ).find((b) => b.type === 'actions');
    expect(consentButtons?.block_id).toBe('card:consent:transferee');
    expect(consentButtons?.elements?.map((e) => [e.action_id, e.value])).toEqual([
      ['consent_approve', id],
      ['consent_reject', id],
      ['transfer_download', id],
    ]);
    const bobCard = where(card);

    // Carol administers the source but was not asked: refused in French, nothing changes, the refusal is recorded.
    let since = h.api.count();
    await h.interact(cardClick(SLACK.carol.id, 'consent_approve', id, 'consent:transferee', bobCard));
    const toCarol = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.carol.id, {
      since,
    });
    expect(toCarol.args.text).toContain(id);
    expect(toCarol.args.text).toMatch(/consentement n’est pas demandé/);
    expect(await h.status(id)).toBe('awaiting_consent');
    expect(await refusals(id)).toContain(`${'carol@fr.example'} refused.consent.approve forbidden`);

    // Bob approves: his card is redrawn at once, without buttons, saying who approved.
    since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since });
    expect(redrawn.args.channel).toBe(bobCard.channel);
    expect(buttonIds(redrawn)).not.toContain('consent_approve');
    expect(text(redrawn)).toContain('Approved by Bob Peeters');
    expect(await h.status(id)).toBe('compliance_screening');

    // The compliance card goes to the compliance channel.
    const complianceCard = await deliverCard(h, COMPLIANCE, id, 'compliance_approve');
    expect(buttonIds(complianceCard)).toEqual([
      'compliance_approve',
      'compliance_reject',
      'transfer_download',
    ]);
    // It says who has consented, as what and when: what compliance screens.
    expect(text(complianceCard)).toMatch(/Transferee Bob Peeters: approved by Bob Peeters on \w+/);
    const channelCard = where(complianceCard);

    // Eve cannot see the transaction, but has its card in front of her in the channel; Bob can see it but
    // is no compliance officer: both are told only a compliance officer screens it, both recorded.
    since = h.api.count();
    await h.interact(cardClick(SLACK.eve.id, 'compliance_approve', id, 'compliance', channelCard));
    const toEve = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.eve.id, { since });
    expect(toEve.args.text).toBe(`Only a compliance officer can screen transaction ${id}.`);
    // A forged value is shown back short, and what would disguise it by code point.
    since = h.api.count();
    await h.interact(
      cardClick(SLACK.eve.id, 'compliance_approve', `\u202E${'X'.repeat(2000)}`, 'compliance', channelCard),
    );
    const forged = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.eve.id, { since });
    expect(String(forged.args.text)).toMatch(/^Transaction U\+202EX+… was not found/);
    expect(String(forged.args.text).length).toBeLessThan(120);
    since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'compliance_approve', id, 'compliance', channelCard));
    const toBob = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.bob.id, { since });
    expect(toBob.args.text).toBe(`Only a compliance officer can screen transaction ${id}.`);
    expect(await h.status(id)).toBe('compliance_screening');
    expect(await refusals(id)).toEqual(
      expect.arrayContaining([
        'eve@nowhere.example refused.screen.approve forbidden',
        'bob@be.example refused.screen.approve forbidden',
      ]),
    );

    // Cora approves: the transfer runs, the channel's card shows the decision (in the channel's language).
    since = h.api.count();
    await h.interact(cardClick(SLACK.cora.id, 'compliance_approve', id, 'compliance', channelCard));
    const decided = await h.api.waitFor('chat.update', (c) => c.args.ts === channelCard.ts, { since });
    expect(text(decided)).toContain('Approved by Cora Compliance');
    expect(buttonIds(decided)).not.toContain('compliance_approve');
    expect(await h.status(id)).toBe('transfer_completed');

    // Completion DMs: Alice in French, Bob in English, each naming the transaction and the status.
    since = h.api.count();
    await h.deliver();
    const toAlice = await h.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === SLACK.alice.id && String(c.args.text).includes('Transfert terminé'),
      { since },
    );
    expect(toAlice.args.text).toContain(id);
    const bobDone = await h.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === SLACK.bob.id && String(c.args.text).includes('Transfer Completed'),
      { since },
    );
    expect(bobDone.args.text).toContain(id);
  });
});
