import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import {
  buttonIds,
  cardClick,
  requestAndSubmit,
  SLACK,
  submission,
  text,
  where,
  useSlack,
} from './harness.js';

type View = { callback_id: string; private_metadata: string } & Record<string, unknown>;

/** A web server that is not Slack, recording what reaches it. */
async function foreignHost(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(surfaceDrivers)('a reject modal whose metadata comes back changed (%s)', (driver) => {
  const h = useSlack(driver);
  let foreign: Awaited<ReturnType<typeof foreignHost>>;
  beforeAll(async () => {
    foreign = await foreignHost();
  });
  afterAll(() => foreign?.close());

  const reason = (value: string) => ({ reason: { reason: { type: 'plain_text_input', value } } });

  it('rejects the transaction named, and redraws only its own card, never the card the modal came from', async () => {
    const a = await requestAndSubmit(h, 'SO:104-1');
    const b = await requestAndSubmit(h, 'SO:103-1');
    const cardA = where(a.card);
    const cardB = where(b.card);
    let since = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_reject', a.id, 'consent:transferee', cardA));
    const view = (await h.api.waitFor('views.open', () => true, { since })).args.view as View;

    // Bob submits the modal opened on A's card, naming B instead.
    const meta = JSON.parse(view.private_metadata) as Record<string, unknown>;
    const changed = { ...view, private_metadata: JSON.stringify({ ...meta, id: b.id }) };
    since = h.api.count();
    const res = await h.interact(submission(SLACK.bob.id, changed, reason('Not this one')));
    // B is his to reject: it is. The outbox redraws B's card, once; A's card keeps its buttons.
    expect(await h.status(b.id)).toBe('cancelled');
    expect(await h.status(a.id)).toBe('awaiting_consent');
    await h.deliver();
    const redrawnB = await h.api.waitFor('chat.update', (c) => c.args.ts === cardB.ts, { since });
    expect(text(redrawnB)).toContain('Not this one');
    const updates = h.api
      .calls()
      .slice(since)
      .filter((c) => c.method === 'chat.update');
    expect(updates.map((c) => String(c.args.ts))).toEqual([cardB.ts]);
    // Bob reads the answer in the modal.
    const answer = JSON.parse(await res.text()) as { response_action: string; view: unknown };
    expect(answer.response_action).toBe('update');
    expect(JSON.stringify(answer.view)).toContain(b.id);

    // The modal as it was opened still rejects A, on A's card.
    since = h.api.count();
    await h.interact(submission(SLACK.bob.id, view, reason('Nor this one')));
    const redrawnA = await h.api.waitFor('chat.update', (c) => c.args.ts === cardA.ts, { since });
    expect(text(redrawnA)).toContain('Nor this one');
    expect(buttonIds(redrawnA)).not.toContain('consent_reject');
    expect(await h.status(a.id)).toBe('cancelled');
  });

  it('never posts to a response_url on a host other than Slack', async () => {
    // A modal whose metadata names a reply answered through a foreign response_url.
    const { id } = await requestAndSubmit(h, 'SO:105-1');
    const origin = {
      kind: 'message',
      channel: '',
      ts: '',
      ephemeral: true,
      responseUrl: `${foreign.url}/r/1`,
    };
    const view = {
      callback_id: 'reject_reason',
      private_metadata: JSON.stringify({ id, kind: 'consent', origin }),
    };
    const res = await h.interact(submission(SLACK.bob.id, view, reason('Elsewhere')));
    expect(await h.status(id)).toBe('cancelled');

    // A slash command whose response_url is foreign: it runs, its answer is not sent there.
    const body = new URLSearchParams({
      command: '/transfer',
      text: 'help',
      user_id: SLACK.bob.id,
      user_name: 'bob',
      team_id: 'T1',
      channel_id: 'CGENERAL',
      trigger_id: 'trigger-foreign',
      response_url: `${foreign.url}/r/2`,
      api_app_id: 'A1',
      token: 'legacy',
    }).toString();
    expect((await h.post(body, 'application/x-www-form-urlencoded')).status).toBe(200);
    await h.adapter.settled();
    expect(foreign.seen).toEqual([]);
    // The reject's answer went in the modal instead.
    expect((JSON.parse(await res.text()) as { response_action: string }).response_action).toBe('update');
  });
});
