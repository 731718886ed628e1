import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { drivers } from '../support/db.js';
import {
  answerTo,
  cardClick,
  interactionBody,
  requestAndSubmit,
  SLACK,
  useSlack,
  where,
  type SlackHarness,
  type SlackInstance,
} from './harness.js';

const FORM = 'application/x-www-form-urlencoded';

/** Alice's `/transfer list`, as Slack posts it (with the app's legacy verification token). */
function listCommand(triggerId: string, responseUrl: string, token = 'legacy'): string {
  return new URLSearchParams({
    command: '/transfer',
    text: 'list',
    user_id: SLACK.alice.id,
    user_name: 'alice',
    team_id: 'T1',
    channel_id: 'CGENERAL',
    trigger_id: triggerId,
    response_url: responseUrl,
    api_app_id: 'A1',
    token,
  }).toString();
}

/** The same signed request, sent `times` times over a few connections at once, as a captured request is replayed. */
async function replay(
  targets: { post: SlackHarness['post'] }[],
  body: string,
  times: number,
  contentType = FORM,
): Promise<number[]> {
  const timestamp = Math.floor(Date.now() / 1000);
  const statuses: number[] = [];
  let sent = 0;
  const connection = async (n: number) => {
    while (sent < times) {
      sent += 1;
      const res = await targets[n % targets.length]!.post(body, contentType, { timestamp });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 10 }, (_, n) => connection(n)));
  return statuses;
}

describe.each(drivers)('Slack under a replay flood, two instances on one database (%s)', (driver) => {
  const h = useSlack(driver);
  let second: SlackInstance;
  beforeAll(async () => {
    second = await h.another();
  });

  it('one captured Approve click replayed 200 times over both instances: one decision, the card updated once', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:105-1');
    const since = h.api.count();
    const body = interactionBody(
      cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', where(card)),
    );
    const statuses = await replay([h, second], body, 200);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await h.api.waitFor('chat.update', (c) => c.args.ts === where(card).ts, { since });
    // Whatever was still running has finished once both are idle.
    await Promise.all([h.adapter.settled(), second.adapter.settled()]);
    expect(await h.history(id, 'consent.approve')).toHaveLength(1);
    expect(await h.history(id, 'refused.consent.approve')).toHaveLength(0);
    const updates = h.api
      .calls('chat.update')
      .filter((c) => c.args.ts === where(card).ts && h.api.calls().indexOf(c) >= since);
    expect(updates).toHaveLength(1);
    expect(await h.status(id)).toBe('compliance_screening');
  });

  it('a refused click replayed 200 times: one refusal on record, told once', async () => {
    const { id, card } = await requestAndSubmit(h, 'SO:104-1');
    const since = h.api.count();
    // Paul may not consent for Bob.
    const body = interactionBody(
      cardClick(SLACK.paul.id, 'consent_approve', id, 'consent:transferee', where(card)),
    );
    await replay([h, second], body, 200);
    await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.paul.id, { since });
    await Promise.all([h.adapter.settled(), second.adapter.settled()]);
    expect((await h.history(id, 'refused.consent.approve')).map((r) => r.actor)).toEqual([
      'paul@partner.example',
    ]);
    const told = h.api
      .calls('chat.postEphemeral')
      .filter((c) => c.args.user === SLACK.paul.id && h.api.calls().indexOf(c) >= since);
    expect(told).toHaveLength(1);
    expect(await h.status(id)).toBe('awaiting_consent');
  });

  it('a slash command Slack retries (x-slack-retry-num) is answered once', async () => {
    const responseUrl = h.api.responseUrl();
    const body = listCommand('trigger-retried', responseUrl);
    const timestamp = Math.floor(Date.now() / 1000);
    const since = h.api.count();
    expect((await h.post(body, FORM, { timestamp })).status).toBe(200);
    expect((await second.post(body, FORM, { timestamp, retryNum: 1 })).status).toBe(200);
    expect((await h.post(body, FORM, { timestamp, retryNum: 2 })).status).toBe(200);
    await answerTo(h, responseUrl, { since });
    await Promise.all([h.adapter.settled(), second.adapter.settled()]);
    const path = new URL(responseUrl).pathname;
    expect(h.api.calls('response_url').filter((c) => c.args.path === path)).toHaveLength(1);
  });

  it('what is kept of each request to recognise it again leaves out the verification token Slack sends in its body', async () => {
    const token = `legacy-${Date.now()}`;
    const responseUrl = h.api.responseUrl();
    const command = listCommand('trigger-kept-without-token', responseUrl, token);
    const since = h.api.count();
    expect((await h.post(command, FORM)).status).toBe(200);
    const click = interactionBody({
      ...cardClick(SLACK.bob.id, 'consent_approve', 'AT-00000000', 'consent:transferee', {
        channel: SLACK.bob.id,
        ts: '1700000000.000100',
      }),
      token,
    });
    expect((await second.post(click, FORM)).status).toBe(200);
    await answerTo(h, responseUrl, { since });
    await Promise.all([h.adapter.settled(), second.adapter.settled()]);

    const kept = rowsOf<{ payload: string }>(
      await h.database.db.execute(sql`select payload::text as payload from work_items`),
    ).map((row) => row.payload);
    // Both requests are kept (a replay of either is recognised), and neither keeps the token.
    expect(kept.filter((p) => p.includes('trigger-kept-without-token'))).toHaveLength(1);
    expect(kept.filter((p) => p.includes('AT-00000000'))).toHaveLength(1);
    expect(kept.filter((p) => p.includes(token))).toEqual([]);
    // The same command sent again is still recognised: answered once.
    expect((await h.post(command, FORM)).status).toBe(200);
    await Promise.all([h.adapter.settled(), second.adapter.settled()]);
    const path = new URL(responseUrl).pathname;
    expect(h.api.calls('response_url').filter((c) => c.args.path === path)).toHaveLength(1);
  });
});
