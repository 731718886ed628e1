import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamsCloud } from '../../adapters/teams/cloud.js';
import { createFileHosts, RefusedFileUrl } from '../../adapters/teams/file-hosts.js';
import { requestTransfer } from '../../src/app/request.js';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { startInternalServer, type InternalServer } from '../support/internal-server.js';
import { teamsConfig, teamsUser, useTeamsWorld } from '../support/teams.js';
import { capturingLogger } from '../support/teams-production.js';
import { toParis } from '../support/transfers.js';
import { actor, EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const UPLOAD_TIMEOUT_MS = 500;

type Attachment = { contentType: string; name?: string; content?: { acceptContext?: { offer: string } } };

describe('Teams: where an accepted export is uploaded', () => {
  const { logger, entries: logs } = capturingLogger();
  const world = useTeamsWorld('pglite', [alice], { logger, files: { timeoutMs: UPLOAD_TIMEOUT_MS } });
  let internal: InternalServer;
  let id = '';
  let offer: Attachment;

  beforeAll(async () => {
    internal = await startInternalServer();
    const requested = await requestTransfer(
      world.deps,
      await actor(world.database.db, 'alice', 'teams'),
      toParis('SO:100-2'),
    );
    if (!requested.ok) throw new Error('request refused');
    id = requested.value.state.id;
  });
  afterAll(() => internal?.close());
  // Each test gets its own export offered (an upload that succeeds spends the file).
  beforeEach(async () => {
    await world.teams.message(alice, `export ${id}`);
    offer = world.connector
      .posted(alice.chat)
      .flatMap((r) => (r.body as { attachments?: Attachment[] }).attachments ?? [])
      .filter((a) => a.contentType === FILE_CONSENT)
      .at(-1)!;
  });

  /** Alice accepts the consent card, Teams giving `uploadUrl`; returns the invoke's answer. */
  const accept = (uploadUrl: string) =>
    world.teams.invoke(alice, 'fileConsent/invoke', {
      type: 'fileUpload',
      action: 'accept',
      context: offer.content!.acceptContext,
      uploadInfo: { name: offer.name, uploadUrl, contentUrl: 'https://contoso-my.sharepoint.com/f' },
    });
  const lastSaid = () => (world.connector.posted(alice.chat).at(-1)?.body as { text?: string }).text;
  const uploads = () => world.connector.requests.filter((r) => r.method === 'PUT');
  const failed = () => `${offer.name!} could not be saved to your OneDrive. Try the export again.`;
  const uploadedNow = async () => {
    const before = uploads().length;
    await accept(`${world.connector.serviceUrl}upload/${offer.name!}`);
    expect(uploads()).toHaveLength(before + 1);
    const last = world.connector.posted(alice.chat).at(-1)?.body as { attachments?: Attachment[] };
    expect(last.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.teams.card.file.info');
  };

  it('never sends the export to an address that is not a Teams file host; the person is told, and the card still works', async () => {
    const moved = `${world.connector.serviceUrl}moved?to=${encodeURIComponent(
      `https://127.0.0.1:${internal.port}/upload`,
    )}`;
    for (const uploadUrl of [
      `http://127.0.0.1:${internal.port}/upload?tempauth=secret-token`,
      `https://127.0.0.1:${internal.port}/upload?tempauth=secret-token`,
      `https://[::ffff:127.0.0.1]:${internal.port}/upload`,
      `https://localhost:${internal.port}/upload`,
      moved, // the connector's own origin, answering 307 to the internal address
    ]) {
      const answer = await accept(uploadUrl);
      expect(answer.status).toBe(200);
      expect(lastSaid()).toBe(failed());
    }
    expect(internal.connections()).toBe(0);
    const refused = logs.filter((entry) => entry.msg === 'teams: file not uploaded: address refused');
    expect(refused.map((entry) => [entry.level, entry.url])).toContainEqual([
      40,
      `https://127.0.0.1:${internal.port}/upload`,
    ]);
    expect(JSON.stringify(logs)).not.toContain('secret-token');
    // Nothing was spent: the same card, accepted with OneDrive's URL, uploads.
    await uploadedNow();
  });

  it('gives up an upload that gets no answer within its time, telling the person; accepting again uploads', async () => {
    const started = Date.now();
    world.connector.holdUploads(true);
    try {
      const answer = await Promise.race([
        accept(`${world.connector.serviceUrl}upload/${offer.name!}`),
        new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 5000)),
      ]);
      expect(answer).not.toBe('no answer');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(lastSaid()).toBe(failed());
    } finally {
      world.connector.holdUploads(false);
    }
    await uploadedNow();
  });
});

describe('Teams: file hosts an operator adds (TEAMS_FILE_HOST_DOMAINS)', () => {
  const uploaded: string[] = [];
  const world = useTeamsWorld('pglite', [alice], {
    env: { TEAMS_FILE_HOST_DOMAINS: 'sharepoint.example' },
    files: {
      // Names resolve to a public address, and uploads reach a stand-in of that host.
      resolve: async () => [{ address: '52.104.0.1', family: 4 }],
      fetch: async (url) => {
        uploaded.push(url instanceof URL ? url.href : typeof url === 'string' ? url : url.url);
        return new Response(null, { status: 201 });
      },
    },
  });

  it('uploads an accepted export to a host under a domain it adds, and still to no other', async () => {
    const requested = await requestTransfer(
      world.deps,
      await actor(world.database.db, 'alice', 'teams'),
      toParis('SO:100-2'),
    );
    if (!requested.ok) throw new Error('request refused');
    await world.teams.message(alice, `export ${requested.value.state.id}`);
    const offer = world.connector
      .posted(alice.chat)
      .flatMap((r) => (r.body as { attachments?: Attachment[] }).attachments ?? [])
      .find((a) => a.contentType === FILE_CONSENT)!;
    for (const uploadUrl of [
      'https://contoso-my.sharepoint.example.net/personal/alice/export.xlsx',
      'https://contoso-my.sharepoint.example/personal/alice/export.xlsx',
    ])
      await world.teams.invoke(alice, 'fileConsent/invoke', {
        type: 'fileUpload',
        action: 'accept',
        context: offer.content!.acceptContext,
        uploadInfo: { name: offer.name, uploadUrl, contentUrl: 'https://contoso-my.sharepoint.example/f' },
      });
    expect(uploaded).toEqual(['https://contoso-my.sharepoint.example/personal/alice/export.xlsx']);
    const last = world.connector.posted(alice.chat).at(-1)?.body as { attachments?: Attachment[] };
    expect(last.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.teams.card.file.info');
  });
});

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

describe('Teams: a file host is connected to at an address its check accepted', () => {
  let internal: InternalServer;
  let connector: BotConnector;
  beforeAll(async () => {
    internal = await startInternalServer();
    connector = await startBotConnector();
  });
  afterAll(async () => {
    await internal?.close();
    await connector?.close();
  });

  it('reaches neither address of a name that answers a public one when checked and this machine when connected to', async () => {
    const file = `https://localhost:${internal.port}/f.csv`;
    for (const [url, init] of [
      [`${file}?tempauth=secret-token`, { redirects: 5 }],
      [`${connector.serviceUrl}moved?to=${encodeURIComponent(file)}`, { redirects: 5 }],
      [file, { method: 'PUT', body: 'export', redirects: 0 }],
    ] as const) {
      // Given a file host's name as a rebinding name server answers it: public first, this machine next.
      let asked = 0;
      const hosts = createFileHosts(teamsCloud(teamsConfig()), {
        domains: ['localhost'],
        resolve: async () => [{ address: asked++ === 0 ? '52.104.0.1' : '127.0.0.1', family: 4 }],
      });
      // When the bot fetches it (or is sent on to it by the connector)…
      const outcome = await hosts.fetch(new URL(url), init, connector.serviceUrl).then(
        (response) => response.status,
        (err: unknown) => (err instanceof RefusedFileUrl ? [err.where, err.reason] : String(err)),
      );
      // …then nothing reaches this machine, and the address is refused when its connection is made.
      expect(internal.connections()).toBe(0);
      expect(outcome).toEqual([file, 'resolves to a private address']);
      expect(asked).toBe(2);
    }
  });
});
