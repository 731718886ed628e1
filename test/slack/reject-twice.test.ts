import { describe, expect, it } from 'vitest';
import { statusLabel } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import {
  cardClick,
  COMPLIANCE,
  deliverCard,
  requestAndSubmit,
  SLACK,
  submission,
  where,
  useSlack,
} from './harness.js';

type View = Record<string, unknown>;

/**
 * The reject_reason modal submitted a second time — sent twice, or again from a view left open — changes
 * nothing more, and closes: the person is told why, in their language, saying who decided and the status
 * the transfer is in now, rather than left with a modal that closed on nothing.
 */
describe.each(surfaceDrivers)('a reject modal submitted again (%s)', (driver) => {
  const h = useSlack(driver);
  const reason = (value: string) => ({ reason: { reason: { type: 'plain_text_input', value } } });

  /** Clicks Reject on a card and answers the reason modal Slack is asked to open. */
  async function rejectModal(...click: Parameters<typeof cardClick>) {
    const since = h.api.count();
    await h.interact(cardClick(...click));
    return (await h.api.waitFor('views.open', () => true, { since })).args.view as View;
  }

  it('tells the transferee who rejected and the status now, and records nothing more', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:104-1');
    const bobCard = where(card);
    const view = await rejectModal(SLACK.bob.id, 'consent_reject', id, 'consent:transferee', bobCard);
    let since = h.api.count();
    await h.interact(submission(SLACK.bob.id, view, reason('Budget not approved')));
    await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since });
    expect(await h.status(id)).toBe('cancelled');

    since = h.api.count();
    const again = await h.interact(submission(SLACK.bob.id, view, reason('Budget not approved')));
    expect(again.status).toBe(200);
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.bob.id, { since });
    expect(told.args.channel).toBe(bobCard.channel);
    const said = JSON.stringify(told.args.blocks);
    expect(told.args.text).toContain(`Transaction ${id} was already decided: rejected by Bob Peeters on`);
    expect(said).toContain(`Transaction ${id}: “Cancelled”.`);
    expect(await h.history(id, 'consent.reject')).toHaveLength(1);
    expect(await h.history(id, 'refused.consent.reject')).toHaveLength(0);
  });

  it('tells a compliance officer in Japanese when the modal is submitted twice at once', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:100-2');
    const bobCard = where(card);
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts);
    const channelCard = where(await deliverCard(h, COMPLIANCE, id, 'compliance_approve'));
    const view = await rejectModal(SLACK.cora.id, 'compliance_reject', id, 'compliance', channelCard);

    const since = h.api.count();
    const submit = () => h.interact(submission(SLACK.cora.id, view, reason('Denied party match')));
    const answers = await Promise.all([submit(), submit()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.cora.id, { since });
    expect(told.args.channel).toBe(COMPLIANCE);
    const said = JSON.stringify(told.args.blocks);
    expect(said).toContain(id);
    expect(said).toContain('は対応済みです');
    expect(said).toContain('Cora Compliance さんが却下');
    expect(said).toContain(statusLabel('ja', 'compliance_rejected'));
    expect(await h.history(id, 'screen.reject')).toHaveLength(1);
    expect(await h.history(id, 'refused.screen.reject')).toHaveLength(0);
  });
});
