import { describe, expect, it } from 'vitest';
import { refusalOf, screenChannelToken, tenantRefusal } from '../../adapters/teams/inbound-auth.js';

const ISSUER = 'https://api.botframework.com';
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (header: unknown, payload: unknown, signature = 'c2ln') =>
  `Bearer ${part(header)}.${part(payload)}.${signature}`;

describe('what reaches the SDK’s token validation', () => {
  it('lets a channel token through to be validated', () => {
    expect(screenChannelToken(bearer({ alg: 'RS256', kid: 'k' }, { iss: ISSUER }), ISSUER)).toBeUndefined();
  });

  it.each([
    ['no header', ''],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a token that is not a JWT', 'Bearer opaque-token'],
    ['a header that is not JSON', `Bearer bm90IGpzb24.${part({ iss: ISSUER })}.c2ln`],
    ['a symmetric algorithm (key confusion)', bearer({ alg: 'HS256' }, { iss: ISSUER })],
    ['no algorithm', bearer({ alg: 'none' }, { iss: ISSUER }, '')],
    [
      'an Emulator token',
      bearer(
        { alg: 'RS256' },
        { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', tid: 'x' },
      ),
    ],
    ['an oversized header', bearer({ alg: 'RS256' }, { iss: ISSUER, pad: 'x'.repeat(9000) })],
  ])('refuses %s', (_case, header) => {
    expect(screenChannelToken(header, ISSUER)).toEqual(expect.any(String));
  });
});

describe('the tenant check of a bot that serves named tenants', () => {
  const activity = (conversationTenant?: string, channelTenant?: string) => ({
    conversation: { id: 'c', ...(conversationTenant ? { tenantId: conversationTenant } : {}) },
    ...(channelTenant ? { channelData: { tenant: { id: channelTenant } } } : {}),
  });

  it('accepts its own tenant wherever it is named, in any letter case', () => {
    expect(tenantRefusal(activity('Tenant-1', 'tenant-1'), undefined, ['tenant-1'])).toBeUndefined();
    expect(tenantRefusal(activity(undefined, 'tenant-1'), 'tenant-1', ['tenant-1'])).toBeUndefined();
  });

  it('accepts any of the tenants it serves, and none other', () => {
    const served = ['tenant-1', 'tenant-3'];
    expect(tenantRefusal(activity('tenant-3', 'TENANT-3'), 'tenant-3', served)).toBeUndefined();
    expect(tenantRefusal(activity('tenant-1', 'tenant-1'), 'tenant-1', served)).toBeUndefined();
    expect(tenantRefusal(activity('tenant-2', 'tenant-2'), 'tenant-2', served)).toBe('another tenant');
    // Each tenant named is checked on its own: one served tenant in the activity, another in the token.
    expect(tenantRefusal(activity('tenant-1', 'tenant-1'), 'tenant-3', served)).toBeUndefined();
  });

  it('refuses another tenant anywhere, and an activity that names none', () => {
    expect(tenantRefusal(activity('tenant-1', 'tenant-2'), undefined, ['tenant-1'])).toBeDefined();
    expect(tenantRefusal(activity('tenant-1', 'tenant-1'), 'tenant-2', ['tenant-1'])).toBeDefined();
    expect(tenantRefusal(activity(), undefined, ['tenant-1'])).toBeDefined();
  });
});

describe('a refusal or trouble on our side', () => {
  it('refuses what the JWT library or the SDK rejects, and reports what kept the keys from being read', () => {
    expect(refusalOf(Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' }))).toBe(
      'invalid signature',
    );
    expect(refusalOf(Object.assign(new Error('Unauthorized. No valid identity.'), { statusCode: 401 }))).toBe(
      'Unauthorized. No valid identity.',
    );
    expect(
      refusalOf(Object.assign(new Error('Failed to load openID config: 503'), { statusCode: 500 })),
    ).toBeUndefined();
    expect(
      refusalOf(Object.assign(new Error('connect ECONNREFUSED'), { name: 'FetchError' })),
    ).toBeUndefined();
  });
});
