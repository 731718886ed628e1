import { spawn } from 'node:child_process';
import { AuthenticationConstants, GovernmentConstants } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { teamsCloud, tokenAuthority } from '../../adapters/teams/cloud.js';
import { loadConfig, type Config } from '../../src/config.js';
import { BIN, COMMAND_FLAGS } from '../support/cli.js';

const APP = { MICROSOFT_APP_ID: '5f0c3e9a-1b2d-4c6e-8f10-2a3b4c5d6e7f', MICROSOFT_APP_PASSWORD: 'test-only' };
const CUSTOM = {
  MICROSOFT_CLOUD: 'custom',
  MICROSOFT_OPENID_METADATA_URL: 'https://login.botframework.example/v1/.well-known/openidconfiguration',
  MICROSOFT_TOKEN_ISSUER: 'https://api.botframework.example',
  MICROSOFT_LOGIN_URL: 'https://login.cloud.example/botframework.example',
  MICROSOFT_OAUTH_SCOPE: 'https://api.botframework.example',
};

function config(env: Record<string, string>): Config {
  const loaded = loadConfig({ ...APP, ...env });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return loaded.config;
}

function errors(env: Record<string, string>): string[] {
  const loaded = loadConfig({ ...APP, ...env });
  return loaded.ok ? [] : loaded.errors;
}

describe('MICROSOFT_CLOUD: where Teams tokens are checked and asked for', () => {
  it('is the public cloud by default, with the values the Bot Framework SDK ships', () => {
    const cloud = teamsCloud(config({}));
    expect(cloud).toMatchObject({
      name: 'public',
      openIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      tokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      loginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      oauthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      oauthApiUrl: AuthenticationConstants.OAuthUrl,
      validateAuthority: true,
    });
  });

  it('knows the US Government cloud', () => {
    expect(teamsCloud(config({ MICROSOFT_CLOUD: 'usgov' }))).toMatchObject({
      openIdMetadataUrl: GovernmentConstants.ToBotFromChannelOpenIdMetadataUrl,
      tokenIssuer: GovernmentConstants.ToBotFromChannelTokenIssuer,
      loginUrl: GovernmentConstants.ToChannelFromBotLoginUrl,
      oauthScope: GovernmentConstants.ToChannelFromBotOAuthScope,
      oauthApiUrl: GovernmentConstants.OAuthUrl,
    });
  });

  it('reads a custom cloud’s endpoints from the environment, validating its authority unless told not to', () => {
    expect(teamsCloud(config(CUSTOM))).toEqual({
      name: 'custom',
      openIdMetadataUrl: CUSTOM.MICROSOFT_OPENID_METADATA_URL,
      tokenIssuer: CUSTOM.MICROSOFT_TOKEN_ISSUER,
      loginUrl: CUSTOM.MICROSOFT_LOGIN_URL,
      oauthScope: CUSTOM.MICROSOFT_OAUTH_SCOPE,
      validateAuthority: true,
    });
    expect(teamsCloud(config({ ...CUSTOM, MICROSOFT_VALIDATE_AUTHORITY: 'false' })).validateAuthority).toBe(
      false,
    );
  });

  it('asks the Bot Framework tenant for a multi-tenant bot’s token, and the bot’s own for a single-tenant one', () => {
    const multi = config({ MICROSOFT_APP_TENANT_ID: 'contoso.example' });
    expect(tokenAuthority(teamsCloud(multi), multi)).toBe(
      'https://login.microsoftonline.com/botframework.com',
    );
    const single = config({ MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: 'contoso.example' });
    expect(tokenAuthority(teamsCloud(single), single)).toBe(
      'https://login.microsoftonline.com/contoso.example',
    );
    const gov = config({
      MICROSOFT_CLOUD: 'usgov',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: 't-1',
    });
    expect(tokenAuthority(teamsCloud(gov), gov)).toBe('https://login.microsoftonline.us/t-1');
    const custom = config({ ...CUSTOM, MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: 't-1' });
    expect(tokenAuthority(teamsCloud(custom), custom)).toBe('https://login.cloud.example/t-1');
  });

  it('names each missing or malformed endpoint', () => {
    expect(errors({ MICROSOFT_CLOUD: 'custom' })).toEqual([
      'MICROSOFT_OPENID_METADATA_URL: missing (required with MICROSOFT_CLOUD=custom)',
      'MICROSOFT_TOKEN_ISSUER: missing (required with MICROSOFT_CLOUD=custom)',
      'MICROSOFT_LOGIN_URL: missing (required with MICROSOFT_CLOUD=custom)',
      'MICROSOFT_OAUTH_SCOPE: missing (required with MICROSOFT_CLOUD=custom)',
    ]);
    expect(errors({ MICROSOFT_CLOUD: 'azure-china' })[0]).toMatch(/^MICROSOFT_CLOUD: /);
    expect(
      errors({ ...CUSTOM, MICROSOFT_OPENID_METADATA_URL: 'http://login.example/v1/.well-known/x' }),
    ).toEqual(['MICROSOFT_OPENID_METADATA_URL: expected an https:// URL']);
    expect(errors({ ...CUSTOM, MICROSOFT_LOGIN_URL: 'https://login.cloud.example/' })[0]).toMatch(
      /^MICROSOFT_LOGIN_URL: expected an https:\/\/ URL ending with the tenant/,
    );
    expect(errors({ ...CUSTOM, MICROSOFT_VALIDATE_AUTHORITY: 'maybe' })[0]).toMatch(
      /^MICROSOFT_VALIDATE_AUTHORITY: /,
    );
  });

  it('refuses a custom endpoint given with another cloud rather than ignore it', () => {
    expect(errors({ MICROSOFT_LOGIN_URL: CUSTOM.MICROSOFT_LOGIN_URL })).toEqual([
      'MICROSOFT_LOGIN_URL: only read with MICROSOFT_CLOUD=custom (the public cloud has its own)',
    ]);
    expect(errors({ MICROSOFT_CLOUD: 'usgov', MICROSOFT_VALIDATE_AUTHORITY: 'false' })).toEqual([
      'MICROSOFT_VALIDATE_AUTHORITY: only read with MICROSOFT_CLOUD=custom',
    ]);
  });

  it('stops `transfer-bot start` with exit 1 and a line naming what is missing', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [...COMMAND_FLAGS, BIN, 'start'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          ...APP,
          MICROSOFT_CLOUD: 'custom',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MICROSOFT_OPENID_METADATA_URL: missing');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
