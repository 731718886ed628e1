import { describe, expect, it } from 'vitest';
import { teamsCloud } from '../../adapters/teams/cloud.js';
import { createFileHosts, RefusedFileUrl } from '../../adapters/teams/file-hosts.js';
import { teamsConfig } from '../support/teams.js';

describe('Teams: the file hosts of each cloud', () => {
  /** The rule for a cloud, every name resolving to `address`, and what it fetched. */
  function hostsOf(cloud: 'public' | 'usgov', address = '52.104.0.1') {
    const fetched: string[] = [];
    const hosts = createFileHosts(teamsCloud(teamsConfig({ MICROSOFT_CLOUD: cloud })), {
      resolve: async () => [{ address, family: address.includes(':') ? 6 : 4 }],
      fetch: async (url) => {
        const at = url instanceof URL ? url.href : typeof url === 'string' ? url : url.url;
        fetched.push(at);
        const to = new URL(at).searchParams.get('to');
        return to ? new Response(null, { status: 302, headers: { location: to } }) : new Response('file');
      },
    });
    const get = (url: string) =>
      hosts.fetch(new URL(url), { redirects: 5 }, 'https://smba.trafficmanager.net/amer/').then(
        (response) => response.status,
        (err: unknown) => (err instanceof RefusedFileUrl ? err.reason : 'failed'),
      );
    return { get, fetched };
  }

  it('takes files from the configured cloud’s SharePoint and OneDrive only', async () => {
    const commercial = hostsOf('public');
    expect(await commercial.get('https://contoso-my.sharepoint.com/personal/a/f.csv')).toBe(200);
    expect(await commercial.get('https://contoso.sharepoint.us/f.csv')).toBe('not a file host');
    expect(await commercial.get('https://contoso.sharepoint.com.example.net/f.csv')).toBe('not a file host');
    expect(await commercial.get('http://contoso.sharepoint.com/f.csv')).toBe('not HTTPS');
    expect(commercial.fetched).toEqual(['https://contoso-my.sharepoint.com/personal/a/f.csv']);

    const government = hostsOf('usgov');
    expect(await government.get('https://contoso.sharepoint.us/f.csv')).toBe(200);
    expect(await government.get('https://army.sharepoint-mil.us/f.csv')).toBe(200);
    expect(await government.get('https://contoso.sharepoint.com/f.csv')).toBe('not a file host');
  });

  it('refuses a SharePoint name that resolves into a private network, and a redirect away from SharePoint', async () => {
    for (const address of ['10.1.2.3', '169.254.169.254', 'fd00::1', '::ffff:192.168.1.1']) {
      const hosts = hostsOf('public', address);
      expect(await hosts.get('https://contoso.sharepoint.com/f.csv')).toBe('resolves to a private address');
      expect(hosts.fetched).toEqual([]);
    }
    const hosts = hostsOf('public');
    const away = `https://contoso.sharepoint.com/f.csv?to=${encodeURIComponent('https://intranet.example/')}`;
    expect(await hosts.get(away)).toBe('not a file host');
    expect(hosts.fetched).toEqual([away]);
  });
});
