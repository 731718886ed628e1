import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { TeamsCloud } from './cloud.js';

/*
 * Where the bot may fetch the files people attach and put the exports they accept: the hosts Teams keeps
 * files on (SharePoint and OneDrive, whose names are under the cloud's SharePoint domains), or the
 * connector the activity came from (its service URL, checked against the activity's token). The URLs come
 * inside an activity, so without this rule a crafted attachment or consent answer could make the bot read
 * an internal service and report what it read. Every redirect is checked the same way before it is followed.
 */

/**
 * The SharePoint domains of each cloud's Microsoft 365; a tenant's sites and OneDrives are names under
 * them (`contoso.sharepoint.com`, `contoso-my.sharepoint.com`).
 */
const SHAREPOINT_DOMAINS = {
  // Commercial and GCC tenants, whose bots are in the public Bot Framework cloud.
  public: ['sharepoint.com'],
  // GCC High and DoD.
  usgov: ['sharepoint.us', 'sharepoint-mil.us'],
  // A cloud given by its endpoints (21Vianet's in China, say): any of the above or China's.
  custom: ['sharepoint.com', 'sharepoint.us', 'sharepoint-mil.us', 'sharepoint.cn'],
} satisfies Record<TeamsCloud['name'], readonly string[]>;

const DEFAULT_TIMEOUT_MS = 30_000;

/** Addresses no SharePoint host has: this machine, private networks, link-local, unique-local, multicast. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
// IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are checked against the IPv4 subnets above.
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

export interface FileHostsOptions {
  /**
   * Domains whose names (the domain and every name under it) files may come from and go to; by default
   * the SharePoint domains of the configured cloud. Names that resolve to a private address stay refused.
   */
  domains?: readonly string[];
  /** How long a download (its body included) or an upload may take, in milliseconds; 30 s by default. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** How a file host's name is resolved (node:dns's `lookup`, every address). */
  resolve?: (name: string) => Promise<{ address: string; family: number }[]>;
}

/** A URL the bot would not fetch from or send to; `where` is the URL without its query, as logged. */
export class RefusedFileUrl extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'RefusedFileUrl';
  }
}

export interface FileHosts {
  /**
   * `url` fetched with `init` within the timeout, following at most `redirects` redirects. Each address,
   * the first and every redirect's, is checked before anything is sent there: one refused rejects with
   * `RefusedFileUrl`. A redirect past `redirects` is returned as it is (0: none followed).
   */
  fetch(url: URL, init: RequestInit & { redirects: number }, serviceUrl: string): Promise<Response>;
}

/** A download or upload URL as it may be logged: its query carries the pre-authorisation. */
export function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function createFileHosts(cloud: TeamsCloud, options: FileHostsOptions = {}): FileHosts {
  const domains = (options.domains ?? SHAREPOINT_DOMAINS[cloud.name]).map((domain) => domain.toLowerCase());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchFn = options.fetch ?? fetch;
  const resolve = options.resolve ?? ((name: string) => lookup(name, { all: true, verbatim: true }));

  /** Why the bot may not reach `url` for an activity that came from `serviceUrl`; undefined if it may. */
  async function refusal(url: URL, serviceUrl: string, signal: AbortSignal): Promise<string | undefined> {
    if (url.origin === new URL(serviceUrl).origin) return undefined;
    if (url.protocol !== 'https:') return 'not HTTPS';
    const host = url.hostname.replace(/^\[(.*)\]$/u, '$1');
    if (isIP(host) !== 0) return 'an IP address, not a file host';
    const name = host.replace(/\.$/u, '').toLowerCase();
    if (!domains.some((domain) => name === domain || name.endsWith(`.${domain}`))) return 'not a file host';
    const addresses = await untilAborted(resolve(name), signal);
    const family = (version: number) => (version === 6 ? 'ipv6' : 'ipv4');
    if (addresses.some((address) => NOT_PUBLIC.check(address.address, family(address.family))))
      return 'resolves to a private address';
    return undefined;
  }

  return {
    async fetch(url, { redirects, ...init }, serviceUrl) {
      const signal = AbortSignal.timeout(timeoutMs);
      let at = url;
      for (let hop = 0; ; hop++) {
        const refused = await refusal(at, serviceUrl, signal);
        if (refused) throw new RefusedFileUrl(withoutQuery(at), refused);
        const response = await fetchFn(at, { ...init, redirect: 'manual', signal });
        const location = response.headers.get('location');
        if (response.status < 300 || response.status > 399 || location === null || hop >= redirects)
          return response;
        await response.body?.cancel();
        at = new URL(location, at);
      }
    },
  };
}

/** `promise`, or the signal's reason once it aborts (a name lookup has no signal of its own). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
