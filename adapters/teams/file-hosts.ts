import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';
import type { TeamsCloud } from './cloud.js';

/*
 * Where the bot may fetch the files people attach and put the exports they accept: the hosts Teams keeps
 * files on (SharePoint and OneDrive, whose names are under the cloud's SharePoint domains), or the
 * connector the activity came from (its service URL, checked against the activity's token). The URLs come
 * inside an activity, so without this rule a crafted attachment or consent answer could make the bot read
 * an internal service and report what it read. Every redirect is checked the same way before it is followed.
 * A file host's name is checked again when the connection is made, and the connection goes to an address
 * that check accepted: a name answering a public address first and a private one next reaches neither.
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
  /** Domains allowed besides `domains`, as `domains` are: those TEAMS_FILE_HOST_DOMAINS lists. */
  extraDomains?: readonly string[];
  /** How long a download (its body included) or an upload may take, in milliseconds; 30 s by default. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** How a file host's name is resolved, when checked and when connected to (node:dns's `lookup`, every address). */
  resolve?: (name: string) => Promise<ResolvedAddress[]>;
}

interface ResolvedAddress {
  address: string;
  family: number;
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
  const domains = [
    ...(options.domains ?? SHAREPOINT_DOMAINS[cloud.name]),
    ...(options.extraDomains ?? []),
  ].map((domain) => domain.toLowerCase());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchFn = options.fetch ?? fetch;
  const resolve = options.resolve ?? ((name: string) => lookup(name, { all: true, verbatim: true }));
  // File hosts are connected to through this agent only (the connector's origin is not a file host).
  // Typed as undici's own Agent, which Node 20's fetch types (an older undici's) do not recognise; it takes
  // the dispatches of either, as the process's dispatcher already does once Bolt has loaded undici.
  const pinned = new Agent({ connect: { lookup: publicOnlyLookup(resolve) } }) as unknown as NonNullable<
    RequestInit['dispatcher']
  >;

  /** Why the bot may not reach `url` for an activity that came from `serviceUrl`; undefined if it may. */
  async function refusal(url: URL, serviceUrl: string, signal: AbortSignal): Promise<string | undefined> {
    if (url.origin === new URL(serviceUrl).origin) return undefined;
    if (url.protocol !== 'https:') return 'not HTTPS';
    const host = url.hostname.replace(/^\[(.*)\]$/u, '$1');
    if (isIP(host) !== 0) return 'an IP address, not a file host';
    const name = host.replace(/\.$/u, '').toLowerCase();
    if (!domains.some((domain) => name === domain || name.endsWith(`.${domain}`))) return 'not a file host';
    // Checked here too, so a refused name is told with its reason before any request is made.
    if (!allPublic(await untilAborted(resolve(name), signal))) return PRIVATE;
    return undefined;
  }

  return {
    async fetch(url, { redirects, ...init }, serviceUrl) {
      const signal = AbortSignal.timeout(timeoutMs);
      let at = url;
      for (let hop = 0; ; hop++) {
        const refused = await refusal(at, serviceUrl, signal);
        if (refused) throw new RefusedFileUrl(withoutQuery(at), refused);
        const dispatcher = at.origin === new URL(serviceUrl).origin ? undefined : pinned;
        const response = await fetchFn(at, { ...init, redirect: 'manual', signal, dispatcher }).catch(
          (err: unknown) => {
            if (err instanceof Error && err.cause instanceof PrivateAddress)
              throw new RefusedFileUrl(withoutQuery(at), PRIVATE);
            throw err;
          },
        );
        const location = response.headers.get('location');
        if (response.status < 300 || response.status > 399 || location === null || hop >= redirects)
          return response;
        await response.body?.cancel();
        at = new URL(location, at);
      }
    },
  };
}

const PRIVATE = 'resolves to a private address';

const allPublic = (addresses: readonly ResolvedAddress[]) =>
  addresses.every(({ address, family }) => !NOT_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4'));

/** A connection refused because its name resolved to an address not public when it was made. */
class PrivateAddress extends Error {
  constructor(name: string) {
    super(`${name}: ${PRIVATE}`);
    this.name = 'PrivateAddress';
  }
}

/**
 * The lookup a connection to a file host makes: the name resolved once more, refused if any address is not
 * public, else connected to one of the addresses just checked (the answer a rebinding name gives next is
 * never used).
 */
function publicOnlyLookup(resolve: (name: string) => Promise<ResolvedAddress[]>): LookupFunction {
  return (name, options, callback) => {
    resolve(name).then(
      (addresses) => {
        const wanted = addresses.filter(({ family }) => !options.family || family === options.family);
        const [first] = wanted;
        if (!allPublic(addresses)) callback(new PrivateAddress(name), []);
        else if (!first) callback(Object.assign(new Error(`${name}: no address`), { code: 'ENOTFOUND' }), []);
        else if (options.all) callback(null, wanted);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
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
