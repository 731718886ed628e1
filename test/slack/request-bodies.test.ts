import { createHmac } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, SECRET, SLACK, useSlack, type SlackHarness } from './harness.js';

/** POSTs these bytes to /slack/events with these headers, signed as Slack signs: the bytes as sent. */
async function postSigned(
  h: SlackHarness,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; json: unknown; ms: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  const started = Date.now();
  const res = await fetch(h.url, {
    method: 'POST',
    headers: { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature, ...headers },
    body,
  });
  const json: unknown = await res.json().catch(() => undefined);
  return { status: res.status, json, ms: Date.now() - started };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(surfaceDrivers)('signed Slack requests whose body cannot be read (%s)', (driver) => {
  const h = useSlack(driver);

  const help = (responseUrl: string) =>
    Buffer.from(
      new URLSearchParams({
        command: '/transfer',
        text: 'help',
        user_id: SLACK.bob.id,
        trigger_id: 'trigger-bodies',
        response_url: responseUrl,
        team_id: 'T1',
      }).toString(),
    );

  /** How many replies the bot has sent through response_urls since `since`. */
  const replies = (since: number) =>
    h.api
      .calls()
      .slice(since)
      .filter((c) => c.method === 'response_url').length;

  it('answers 415 for a content encoding or charset it does not know, and does nothing', async () => {
    const before = h.api.count();
    const encoded = await postSigned(h, help(h.api.responseUrl()), {
      ...FORM,
      'content-encoding': 'br-fake',
    });
    expect(encoded).toMatchObject({
      status: 415,
      json: { error: 'the request body has an unsupported content encoding' },
    });
    const charset = await postSigned(h, help(h.api.responseUrl()), {
      'content-type': 'application/x-www-form-urlencoded; charset=shift_jis',
    });
    expect(charset).toMatchObject({
      status: 415,
      json: { error: 'the request body has an unsupported charset' },
    });
    // A help answered after them is the only answer since: neither of those was done.
    const { responseUrl } = await h.slash(SLACK.bob.id, 'help');
    await answerTo(h, responseUrl);
    expect(replies(before)).toBe(1);
  });

  it('answers 400 at once for a body that does not decompress, and for JSON that is no Slack request', async () => {
    const garbage = await postSigned(h, Buffer.from('garbage'), { ...FORM, 'content-encoding': 'gzip' });
    expect(garbage).toMatchObject({
      status: 400,
      json: { error: 'the request body could not be decompressed' },
    });
    const stranger = await postSigned(h, Buffer.from('{"foo":1}'), { 'content-type': 'application/json' });
    expect(stranger).toMatchObject({
      status: 400,
      json: { error: 'the request body is not a Slack request' },
    });
    const form = await postSigned(h, Buffer.from('garbage'), FORM);
    expect(form).toMatchObject({ status: 400, json: { error: 'the request body is not a Slack request' } });
    // Not after Bolt's three seconds of waiting for a listener.
    for (const answer of [garbage, stranger, form]) expect(answer.ms).toBeLessThan(2_000);
  });

  it('reads a command compressed with gzip or br, and one whose form names UTF-8', async () => {
    const ways: [(body: Buffer) => Buffer, Record<string, string>][] = [
      [gzipSync, { ...FORM, 'content-encoding': 'gzip' }],
      [brotliCompressSync, { ...FORM, 'content-encoding': 'br' }],
      [(body) => body, { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }],
    ];
    for (const [encode, headers] of ways) {
      const responseUrl = h.api.responseUrl();
      const answered = await postSigned(h, encode(help(responseUrl)), headers);
      expect(answered.status, JSON.stringify(headers)).toBe(200);
      expect((await answerTo(h, responseUrl)).args.text).toMatch(/^Here is what you can ask me/);
    }
  });
});
