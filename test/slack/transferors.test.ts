import { describe, expect, it } from 'vitest';
import { ACTION } from '../../adapters/slack/ids.js';
import { surfaceDrivers } from '../support/db.js';
import {
  answerTo,
  buttonIds,
  cardClick,
  click,
  COMPLIANCE,
  deliverCard,
  ONE_LINE,
  SLACK,
  requestAndSubmit,
  submission,
  text,
  where,
  useSlack,
} from './harness.js';

describe.each(surfaceDrivers)('Slack: every transferor asked, and the limits of a reason (%s)', (driver) => {
  const h = useSlack(driver);

  it('asks every eligible transferor; the first answer counts and the other’s card says who answered', async () => {
    const since = h.api.count();
    // Paul, a partner, asks for Alice's company; Alice and Carol both administer the source for it.
    const { responseUrl } = await h.slash(SLACK.paul.id, ONE_LINE.replace('SO:100-1,SN:FOC0002', 'SO:100-1'));
    const created = await answerTo(h, responseUrl, { since });
    const id = /AT-[0-9A-Z]{8}/.exec(String(created.args.text))?.[0];
    expect(id, String(created.args.text)).toBeDefined();
    if (!id) return;
    const submitted = await h.slash(SLACK.paul.id, `submit ${id}`);
    const answer = await answerTo(h, submitted.responseUrl, { since });
    expect(JSON.stringify(answer.args)).toContain('one of Alice Martin and Carol Durand as transferor');

    const aliceCard = where(await deliverCard(h, SLACK.alice.id, id, 'consent_approve', since));
    const carolCard = where(await deliverCard(h, SLACK.carol.id, id, 'consent_approve', since));
    expect(aliceCard.channel).not.toBe(carolCard.channel);

    const clicked = h.api.count();
    await h.interact(cardClick(SLACK.carol.id, 'consent_approve', id, 'consent:transferor', carolCard));
    await h.api.waitFor('chat.update', (c) => c.args.ts === carolCard.ts, { since: clicked });
    expect(await h.history(id, 'consent.approve')).toHaveLength(1);
    await h.deliver();
    // Alice's copy is redrawn in place: no live button, and who answered.
    const update = await h.api.waitFor(
      'chat.update',
      (c) => c.args.channel === aliceCard.channel && c.args.ts === aliceCard.ts,
      { since: clicked },
    );
    expect(buttonIds(update)).not.toContain('consent_approve');
    expect(text(update)).toContain('Carol Durand');

    // A click on the stale copy is told who answered, and changes nothing.
    const late = h.api.count();
    await h.interact(cardClick(SLACK.alice.id, 'consent_reject', id, 'consent:transferor', aliceCard));
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.alice.id, {
      since: late,
    });
    expect(String(told.args.text)).toContain('Carol Durand');
    expect(await h.history(id, 'consent.approve')).toHaveLength(1);
    expect(await h.status(id)).toBe('awaiting_consent');

    // Carol's answer is told once, under her, by `show` and by View: Alice is not said to have consented.
    const toldOnce = (shown: string) => {
      expect(shown.split('approved by Carol Durand')).toHaveLength(2);
      expect(shown).toContain('Transferor Carol Durand: approved by Carol Durand on');
      expect(shown).not.toContain('Transferor Alice Martin');
    };
    const asked = h.api.count();
    const shown = await h.slash(SLACK.paul.id, `show ${id}`);
    toldOnce(text(await answerTo(h, shown.responseUrl, { since: asked })));
    const viewed = h.api.count();
    await h.interact(click(SLACK.paul.id, { action_id: ACTION.view, value: id }, aliceCard));
    toldOnce(text(await h.api.waitFor('views.open', () => true, { since: viewed })));

    // So does the compliance card, once Bob has consented too.
    const bobCard = where(await deliverCard(h, SLACK.bob.id, id, 'consent_approve', since));
    const consented = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since: consented });
    expect(await h.status(id)).toBe('compliance_screening');
    toldOnce(text(await deliverCard(h, COMPLIANCE, id, 'compliance_approve', consented)));
  });

  it('keeps the reject modal open with the limit on its field when the reason is over 2,000 characters', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:104-1');
    const bobCard = where(card);
    const since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_reject', id, 'consent:transferee', bobCard));
    const opened = await h.api.waitFor('views.open', () => true, { since });
    const view = opened.args.view as Record<string, unknown>;
    const res = await h.interact(
      submission(SLACK.bob.id, view, {
        reason: { reason: { type: 'plain_text_input', value: 'x'.repeat(2001) } },
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: {
        reason: 'Reason is too long: 2,001 characters, where at most 2,000 are allowed. Nothing was changed.',
      },
    });
    expect(await h.status(id)).toBe('awaiting_consent');
    expect(await h.history(id, 'consent.reject')).toHaveLength(0);
  });
});
