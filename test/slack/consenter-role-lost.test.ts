import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import type { RecordedCall } from '../support/slack-api.js';
import { EMAILS } from '../support/world.js';
import {
  answerTo,
  buttonIds,
  cardClick,
  deliverCard,
  ONE_LINE,
  SLACK,
  text,
  useSlack,
  where,
} from './harness.js';

/**
 * A partner's request asks every administrator of the source from its own company as transferor; the
 * first answer counts. A bot admin takes the role away from one of them while another still may answer:
 * the transfer waits for the other, and the one who lost the role sees their card lose its buttons, saying
 * why, is told so on a click, and `show` says they can no longer answer; the history says it once, as the
 * bot admin's doing. The requester gets a direct message, once, saying who can no longer answer and who
 * still can. Their role given back, the buttons come back, they may answer, and the requester hears it.
 */
describe.each(surfaceDrivers)('Slack: one of several transferors asked loses the role (%s)', (driver) => {
  const h = useSlack(driver);

  /** Paul, a partner, requests these assets for Alice's company and submits: Alice and Carol are asked. */
  const partnerRequest = async (assets: string) => {
    const since = h.api.count();
    const created = await h.slash(SLACK.paul.id, ONE_LINE.replace('SO:100-1,SN:FOC0002', assets));
    const said = String((await answerTo(h, created.responseUrl, { since })).args.text);
    const id = /AT-[0-9A-Z]{8}/.exec(said)?.[0];
    if (!id) throw new Error(`no transaction id in ${said}`);
    await answerTo(h, (await h.slash(SLACK.paul.id, `submit ${id}`)).responseUrl, { since });
    const aliceCard = where(await deliverCard(h, SLACK.alice.id, id, 'consent_approve', since));
    const carolCard = where(await deliverCard(h, SLACK.carol.id, id, 'consent_approve', since));
    return { id, aliceCard, carolCard };
  };
  const ada = async (line: string) => {
    const since = h.api.count();
    const said = await h.slash(SLACK.ada.id, line);
    return String((await answerTo(h, said.responseUrl, { since })).args.text);
  };
  const shownTo = async (userId: string, id: string) => {
    const since = h.api.count();
    const shown = await h.slash(userId, `show ${id}`);
    return text(await answerTo(h, shown.responseUrl, { since }));
  };
  /** What a message says, its blocks and its fallback text together. */
  const messageText = (c: RecordedCall) => `${String(c.args.text)}\n${text(c)}`;
  const toPaul = (since: number) =>
    h.api
      .calls()
      .slice(since)
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === SLACK.paul.id);
  const updatesOf = (ts: string, since: number) =>
    h.api
      .calls()
      .slice(since)
      .filter((c) => c.method === 'chat.update' && c.args.ts === ts);

  it('closes her card, refuses her click, leaves the other’s, and the history says it once', async () => {
    const { id, aliceCard, carolCard } = await partnerRequest('SO:100-1');

    const revoked = h.api.count();
    // Alice may still answer: nothing is cancelled, so the bot admin's reply names no transaction.
    expect(await ada('revoke carol@fr.example admin fr-a.example')).not.toContain(id);
    await h.deliver();
    expect(await h.status(id)).toBe('awaiting_consent');
    // Carol's card, in her language, no longer has Approve / Reject, and says why.
    const closed = await h.api.waitFor('chat.update', (c) => c.args.ts === carolCard.ts, { since: revoked });
    expect(buttonIds(closed)).not.toContain('consent_approve');
    expect(text(closed)).toContain('Vous n’êtes plus administrateur du compte Smart');
    // Alice's card is left as it was: she may answer.
    expect(updatesOf(aliceCard.ts, revoked)).toEqual([]);
    // Paul, who waits on them, gets a direct message: who can no longer answer, why, and who still can.
    const toldPaul = await h.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === SLACK.paul.id && messageText(c).includes('can no longer answer'),
      { since: revoked },
    );
    expect(messageText(toldPaul)).toContain(
      `Transaction ${id} still waits for consent, but Carol Durand can no longer answer.`,
    );
    expect(messageText(toldPaul)).toContain('Ada Admin took away their role');
    expect(messageText(toldPaul)).toContain('Still awaited: the transferee’s consent, from Bob Peeters.');
    expect(messageText(toldPaul)).toContain('Still awaited: the transferor’s consent, from Alice Martin.');

    // A click on the card as it was drawn before is refused, saying why, and the card redrawn for her.
    const clicked = h.api.count();
    await h.interact(cardClick(SLACK.carol.id, 'consent_approve', id, 'consent:transferor', carolCard));
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.carol.id, {
      since: clicked,
    });
    expect(String(told.args.text)).toContain('Vous n’êtes plus administrateur du compte Smart');
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === carolCard.ts, { since: clicked });
    expect(buttonIds(redrawn)).not.toContain('consent_approve');
    expect(await h.history(id, 'consent.approve')).toEqual([]);

    // Paul reads that Carol can no longer answer, and that Alice's answer is awaited.
    const shown = await shownTo(SLACK.paul.id, id);
    expect(shown).toContain('Transferor Carol Durand: can no longer answer');
    expect(shown).toContain('Transferor Alice Martin: consent awaited');
    // The history says it once, as Ada's doing, on Slack; another change of roles adds nothing to it.
    const rows = await h.history(id, 'consent.cannotAnswer');
    expect(rows.map((r) => [r.actor, r.surface])).toEqual([[EMAILS.ada, 'slack']]);
    expect(String(rows[0]?.reason)).toContain(
      'Carol Durand (transferor) can no longer answer: Ada Admin took away their role',
    );
    await ada('grant eve@nowhere.example user fr-b.example');
    expect(await h.history(id, 'consent.cannotAnswer')).toHaveLength(1);
    // Paul was told once.
    await h.deliver();
    expect(toPaul(revoked).filter((c) => messageText(c).includes('can no longer answer'))).toHaveLength(1);
  });

  it('gives her the buttons back with the role, and takes her answer', async () => {
    await ada('grant carol@fr.example admin fr-a.example');
    const { id, carolCard } = await partnerRequest('SO:105-1');
    await ada('revoke carol@fr.example admin fr-a.example');
    await h.deliver();

    const granted = h.api.count();
    await ada('grant carol@fr.example admin fr-a.example');
    await h.deliver();
    const reopened = await h.api.waitFor('chat.update', (c) => c.args.ts === carolCard.ts, {
      since: granted,
    });
    expect(buttonIds(reopened)).toContain('consent_approve');
    expect((await h.history(id, 'consent.canAnswer')).map((r) => r.actor)).toEqual([EMAILS.ada]);
    // Paul hears it too, once.
    const again = toPaul(granted).filter((c) => messageText(c).includes(id));
    expect(
      again.map((c) => messageText(c).includes(`Transaction ${id}: Carol Durand can answer again.`)),
    ).toEqual([true]);
    expect(await shownTo(SLACK.paul.id, id)).toContain('Transferor Carol Durand: consent awaited');

    const clicked = h.api.count();
    await h.interact(cardClick(SLACK.carol.id, 'consent_approve', id, 'consent:transferor', carolCard));
    await h.api.waitFor('chat.update', (c) => c.args.ts === carolCard.ts, { since: clicked });
    expect(await h.history(id, 'consent.approve')).toHaveLength(1);
  });
});
