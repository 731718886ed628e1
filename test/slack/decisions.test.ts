import { describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema.js';
import { surfaceDrivers } from '../support/db.js';
import {
  answerTo,
  buttonIds,
  cardClick,
  COMPLIANCE,
  deliverCard,
  requestAndSubmit,
  SLACK,
  submission,
  text,
  where,
  useSlack,
} from './harness.js';

describe.each(surfaceDrivers)('decisions clicked in Slack (%s)', (driver) => {
  const h = useSlack(driver);

  async function toCompliance(id: string, bobCard: { channel: string; ts: string }) {
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts);
    return where(await deliverCard(h, COMPLIANCE, id, 'compliance_approve'));
  }

  it('two clicks on Approve at once: one decision, each click answered as it was, nothing refused on record', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:105-1');
    const bobCard = where(card);
    const since = h.api.count();
    const approve = () =>
      h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', bobCard));
    const answers = await Promise.all([approve(), approve()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    // Bob's own approval clicked twice: his card is drawn decided for each click, and he is not told he
    // was refused (the history Alice reads holds no refused attempt).
    const drawn = await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since });
    const again = await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, {
      since: h.api.calls().indexOf(drawn) + 1,
    });
    for (const update of [drawn, again])
      expect(JSON.stringify(update.args.blocks)).not.toContain('consent_approve');
    expect(await h.history(id, 'consent.approve')).toHaveLength(1);
    expect(await h.history(id, 'refused.consent.approve')).toHaveLength(0);
    expect(await h.status(id)).toBe('compliance_screening');
    // Reject clicked after approving is another answer: he is told what was decided, and when.
    const since1 = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_reject', id, 'consent:transferee', bobCard));
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.bob.id, {
      since: since1,
    });
    expect(told.args.text).toContain(`Transaction ${id} was already decided: approved by Bob Peeters`);
    // The instant reads like every other date of the bot, in the reader's language and zone.
    expect(told.args.text).toMatch(
      /approved by Bob Peeters on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \S+\./,
    );

    // The same for two compliance officers' clicks racing on the channel's card.
    const complianceCard = where(await deliverCard(h, COMPLIANCE, id, 'compliance_approve'));
    const since2 = h.api.count();
    const screen = () =>
      h.interact(cardClick(SLACK.cora.id, 'compliance_approve', id, 'compliance', complianceCard));
    await Promise.all([screen(), screen()]);
    await h.api.waitFor('chat.update', (c) => c.args.ts === complianceCard.ts, { since: since2 });
    expect(await h.history(id, 'refused.screen.approve')).toHaveLength(0);
    await h.interact(cardClick(SLACK.cora.id, 'compliance_reject', id, 'compliance', complianceCard));
    const coraTold = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.cora.id, {
      since: since2,
    });
    // Cora's Slack speaks Japanese.
    expect(coraTold.args.text).toContain(id);
    expect(coraTold.args.text).toContain('は対応済みです');
    expect(coraTold.args.text).toContain('さんが承認）');
    expect(coraTold.args.text).toMatch(/対応済みです（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \S+ に /);
    expect(await h.history(id, 'screen.approve')).toHaveLength(1);
    expect(await h.status(id)).toBe('transfer_completed');
  });

  it('a consent reject opens the reject_reason modal, and the reason reaches the card and the record', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:104-1');
    const bobCard = where(card);
    let since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_reject', id, 'consent:transferee', bobCard));
    const opened = await h.api.waitFor('views.open', () => true, { since });
    const view = opened.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { type: string; block_id?: string; optional?: boolean; element?: { action_id?: string } }[];
    };
    expect(view.callback_id).toBe('reject_reason');
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input).toMatchObject({ block_id: 'reason', element: { action_id: 'reason' } });
    expect(await h.status(id)).toBe('awaiting_consent');

    since = h.api.count();
    const res = await h.interact(
      submission(SLACK.bob.id, view, {
        reason: { reason: { type: 'plain_text_input', value: 'Budget not approved' } },
      }),
    );
    expect(res.status).toBe(200);
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === bobCard.ts, { since });
    expect(text(redrawn)).toContain('Rejected by Bob Peeters');
    expect(text(redrawn)).toContain('Budget not approved');
    expect(buttonIds(redrawn)).not.toContain('consent_reject');
    expect(await h.status(id)).toBe('cancelled');
    const [rejected] = await h.history(id, 'consent.reject');
    expect(rejected?.reason).toBe('Budget not approved');
  });

  it('refuses to open the reason modal for someone who may not reject, and says why', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:103-1');
    const since = h.api.count();
    await h.interact(cardClick(SLACK.paul.id, 'consent_reject', id, 'consent:transferee', where(card)));
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.paul.id, { since });
    expect(told.args.text).toContain(`Your consent is not requested for transaction ${id}`);
    expect(
      h.api
        .calls()
        .slice(since)
        .some((c) => c.method === 'views.open'),
    ).toBe(false);
    expect(await h.status(id)).toBe('awaiting_consent');
    expect((await h.history(id, 'refused.consent.reject')).map((r) => r.actor)).toEqual([
      'paul@partner.example',
    ]);
    // Tidy up for the next test: Bob rejects in one line.
    await h.slash(SLACK.bob.id, `consent ${id} reject`);
    await h.api.waitFor('response_url', (c) => String(c.args.text).includes(id), { since });
  });

  it('a compliance reject without a reason is refused in the modal; with one, the requester hears it', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:100-2');
    const channelCard = await toCompliance(id, where(card));
    let since = h.api.count();
    await h.interact(cardClick(SLACK.cora.id, 'compliance_reject', id, 'compliance', channelCard));
    const opened = await h.api.waitFor('views.open', () => true, { since });
    const view = opened.args.view as Record<string, unknown>;
    expect(view.callback_id).toBe('reject_reason');

    const blank = await h.interact(
      submission(SLACK.cora.id, view, { reason: { reason: { type: 'plain_text_input', value: '   ' } } }),
    );
    const answer = (await blank.json()) as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors)).toEqual(['reason']);
    expect(answer.errors.reason).toContain(id);
    expect(await h.status(id)).toBe('compliance_screening');
    expect(await h.history(id, 'refused.screen.reject')).toHaveLength(1);

    since = h.api.count();
    await h.interact(
      submission(SLACK.cora.id, view, {
        reason: { reason: { type: 'plain_text_input', value: 'Denied party match' } },
      }),
    );
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === channelCard.ts, { since });
    expect(text(redrawn)).toContain('Rejected by Cora Compliance');
    expect(text(redrawn)).toContain('Denied party match');
    expect(await h.status(id)).toBe('compliance_rejected');
    since = h.api.count();
    await h.deliver();
    const toAlice = await h.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === SLACK.alice.id && text(c).includes('Denied party match'),
      { since },
    );
    expect(toAlice.args.text).toContain(id);
  });

  it('when Slack fails (HTTP 500, then 429 with Retry-After) the change stays committed and the card arrives later', async () => {
    const since = h.api.count();
    const { responseUrl } = await h.slash(
      SLACK.alice.id,
      'new from:fr-a.example to:be.example/DEFAULT assets:SN:FOC0001 same-company:no transferee:bob@be.example justification:"Lab move" terms:accept',
    );
    const created = await answerTo(h, responseUrl, { since });
    const id = /AT-[0-9A-Z]{8}/.exec(String(created.args.text))![0];
    // Slack is down while the submission's messages go out.
    h.api.failNext('chat.postMessage', { status: 500 }, 2);
    const submitted = await h.slash(SLACK.alice.id, `submit ${id}`);
    await answerTo(h, submitted.responseUrl, { since });
    const first = await h.deliver();
    expect(first.retried).toBeGreaterThan(0);
    expect(await h.status(id)).toBe('awaiting_consent');
    const waiting = (await h.database.db.select().from(outbox)).filter(
      (r) => r.payload.transferId === id && r.state === 'pending',
    );
    expect(waiting.length).toBeGreaterThan(0);
    // Tried once and failed, or not tried yet: waiting behind an earlier message to the same person.
    expect(waiting.some((r) => r.attempts === 1)).toBe(true);
    expect(
      waiting.every((r) => r.attempts === 0 || (r.attempts === 1 && /HTTP 500/.test(r.lastError ?? ''))),
    ).toBe(true);

    // Next round: rate limited, with Retry-After: 7 — the row is not retried before seven seconds.
    h.deps.advance(60_000);
    h.api.failNext('chat.postMessage', { status: 429, retryAfter: 7 }, 10);
    const second = await h.deliver();
    expect(second.retried).toBeGreaterThan(0);
    const limited = (await h.database.db.select().from(outbox)).filter(
      (r) => r.payload.transferId === id && r.state === 'pending',
    );
    expect(limited.length).toBeGreaterThan(0);
    // Those tried again wait out the Retry-After; the others still wait behind them.
    const triedAgain = limited.filter((r) => r.attempts === 2);
    expect(triedAgain.length).toBeGreaterThan(0);
    for (const row of triedAgain)
      expect(row.dueAt.getTime() - h.deps.now().getTime()).toBeGreaterThanOrEqual(7000);

    // Slack is back: everything is delivered once, including Bob's card.
    h.api.clearFailures();
    h.deps.advance(10 * 60_000);
    const afterSince = h.api.count();
    const third = await h.deliver();
    expect(third.sent).toBeGreaterThan(0);
    const delivered = h.api
      .calls('chat.postMessage')
      .filter((c) => c.result && c.args.channel === SLACK.bob.id && text(c).includes(id));
    expect(delivered.filter((c) => text(c).includes('consent_approve'))).toHaveLength(1);
    expect(
      h.api
        .calls()
        .slice(afterSince)
        .filter((c) => c.method === 'chat.postMessage' && c.result).length,
    ).toBe(third.sent);
  });
});
