import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedBySlack } from '../../adapters/slack/signature.js';

const SECRET = 'test-signing-secret';
const NOW = 1_796_000_000;

function signature(secret: string, timestamp: string, body: Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

describe('a request Slack signed', () => {
  const body = Buffer.from('command=%2Ftransfer&text=list&user_id=U0MARIE01');
  const ts = String(NOW);

  it('is one whose signature is the HMAC of its bytes with the signing secret, within five minutes', () => {
    expect(signedBySlack(SECRET, body, signature(SECRET, ts, body), ts, NOW)).toBe(true);
    expect(signedBySlack(SECRET, body, signature(SECRET, ts, body), ts, NOW + 300)).toBe(true);
    expect(signedBySlack(SECRET, body, signature(SECRET, ts, body), ts, NOW - 300)).toBe(true);
  });

  it('is not one signed with another secret, changed after signing, or older or newer than five minutes', () => {
    expect(signedBySlack(SECRET, body, signature('another', ts, body), ts, NOW)).toBe(false);
    const changed = Buffer.from(`${body.toString()}&text=delete`);
    expect(signedBySlack(SECRET, changed, signature(SECRET, ts, body), ts, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, signature(SECRET, ts, body), ts, NOW + 301)).toBe(false);
    expect(signedBySlack(SECRET, body, signature(SECRET, ts, body), ts, NOW - 301)).toBe(false);
  });

  it('is not one whose headers are missing or malformed', () => {
    const good = signature(SECRET, ts, body);
    expect(signedBySlack(SECRET, body, undefined, ts, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, good, undefined, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, good.toUpperCase(), ts, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, good.replace('v0=', 'v1='), ts, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, good.slice(0, -2), ts, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, good, `${ts}.5`, NOW)).toBe(false);
    expect(signedBySlack(SECRET, body, good, ` ${ts}`, NOW)).toBe(false);
    expect(signedBySlack('', body, signature('', ts, body), ts, NOW)).toBe(false);
  });

  it('signs the bytes as they came, even those that are not UTF-8', () => {
    const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x62]);
    expect(signedBySlack(SECRET, bytes, signature(SECRET, ts, bytes), ts, NOW)).toBe(true);
    // Read as text first, the bytes would have become replacement characters and signed otherwise.
    const asText = Buffer.from(bytes.toString('utf8'));
    expect(signedBySlack(SECRET, asText, signature(SECRET, ts, bytes), ts, NOW)).toBe(false);
  });

  it('is never one whose signature header was made up', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 80 }), (raw, header) => {
        expect(signedBySlack(SECRET, Buffer.from(raw), header, ts, NOW)).toBe(false);
      }),
    );
  });
});
