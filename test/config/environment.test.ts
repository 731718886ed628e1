import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const errors = (env: Record<string, string>) => {
  const result = loadConfig(env);
  return result.ok ? [] : result.errors;
};

describe('the environment, read at start: a wrong value is named with what would do', () => {
  it('takes a duration of up to ten years, and refuses a longer one that no date could hold', () => {
    const every = (value: string) => loadConfig({ CONSENT_REMIND_EVERY: value });
    expect(every('3650d')).toMatchObject({ ok: true, config: { CONSENT_REMIND_EVERY: 3650 * 86_400_000 } });
    expect(errors({ CONSENT_REMIND_EVERY: '3651d' })).toEqual([
      'CONSENT_REMIND_EVERY: expected a duration of at most 3650d',
    ]);
    // Once taken: `transfer-bot jobs run` then failed with "Invalid time value", as did the bot's upkeep.
    expect(errors({ OUTBOX_KEEP: '99999999999d' })).toEqual([
      'OUTBOX_KEEP: expected a duration of at most 3650d',
    ]);
    expect(errors({ CONSENT_EXPIRE_AFTER: '99999999999d', OUTBOX_KEEP: '87600h1' })).toEqual([
      'CONSENT_EXPIRE_AFTER: expected a duration of at most 3650d',
      'OUTBOX_KEEP: expected a duration such as 30s, 15m, 24h or 7d, or 0',
    ]);
    expect(loadConfig({ CONSENT_EXPIRE_AFTER: '0' })).toMatchObject({
      ok: true,
      config: { CONSENT_EXPIRE_AFTER: 0 },
    });
  });

  it('names every value a setting of a few words takes', () => {
    expect(errors({ LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(errors({ MICROSOFT_CLOUD: 'moon' })).toEqual([
      'MICROSOFT_CLOUD: expected one of public, usgov, custom',
    ]);
    expect(errors({ TEAMS_ALLOW_UNAUTHENTICATED: 'yes' })).toEqual([
      'TEAMS_ALLOW_UNAUTHENTICATED: expected one of true, false',
    ]);
    expect(errors({ COMPLIANCE_LOCALE: 'de' })).toEqual(['COMPLIANCE_LOCALE: expected one of en, fr, ja']);
    expect(loadConfig({})).toMatchObject({ ok: true, config: { COMPLIANCE_LOCALE: 'en' } });
    expect(loadConfig({ COMPLIANCE_LOCALE: 'ja' })).toMatchObject({
      ok: true,
      config: { COMPLIANCE_LOCALE: 'ja' },
    });
  });

  it('reads the Teams tenants served as a list of tenant IDs, and refuses anything else', () => {
    const loaded = loadConfig({ TEAMS_TENANTS: ' 72f988bf-86f1-41af-91ab-2d7cd011db47 ,Tenant-3' });
    expect(loaded.ok && loaded.config.TEAMS_TENANTS).toEqual([
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'tenant-3',
    ]);
    const none = loadConfig({});
    expect(none.ok && none.config.TEAMS_TENANTS).toEqual([]);
    expect(errors({ TEAMS_TENANTS: 'tenant-1;tenant-2' })).toEqual([
      'TEAMS_TENANTS: expected Microsoft Entra tenant IDs separated by commas',
    ]);
  });

  it('reads the Teams file host domains added as a list of domain names, and refuses anything wider', () => {
    const loaded = loadConfig({ TEAMS_FILE_HOST_DOMAINS: ' SharePoint.example , files.contoso.example' });
    expect(loaded.ok && loaded.config.TEAMS_FILE_HOST_DOMAINS).toEqual([
      'sharepoint.example',
      'files.contoso.example',
    ]);
    const none = loadConfig({});
    expect(none.ok && none.config.TEAMS_FILE_HOST_DOMAINS).toEqual([]);
    for (const wider of [
      'example',
      '*.sharepoint.example',
      '10.0.0.1',
      'sharepoint.example;other.example',
      'https://sharepoint.example',
    ])
      expect(errors({ TEAMS_FILE_HOST_DOMAINS: wider })).toEqual([
        'TEAMS_FILE_HOST_DOMAINS: expected domain names separated by commas, such as sharepoint.example',
      ]);
  });

  it('reads the Slack workspaces served as team and enterprise IDs, and refuses a name or a misspelt list', () => {
    const loaded = loadConfig({ SLACK_WORKSPACES: ' T0PARTNER1 ,E0ORG2,T0PARTNER1' });
    expect(loaded.ok && loaded.config.SLACK_WORKSPACES).toEqual(['T0PARTNER1', 'E0ORG2']);
    const none = loadConfig({});
    expect(none.ok && none.config.SLACK_WORKSPACES).toEqual([]);
    for (const value of ['acme-partners', 't0partner1', 'T0PARTNER1;E0ORG2', 'T0PARTNER1,', 'U0PERSON'])
      expect(errors({ SLACK_WORKSPACES: value })).toEqual([
        'SLACK_WORKSPACES: expected Slack team IDs (T…) or enterprise IDs (E…) separated by commas',
      ]);
  });
});
