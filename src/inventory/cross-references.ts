import {
  deviceName,
  heldAssetMove,
  licenseKey,
  licenseName,
  type HeldAsset,
  type Place,
} from './held-assets.js';
import { DEFAULT_VIRTUAL_ACCOUNT, vaKey, type KnownIdentities } from './identities.js';

export type Report = (path: (string | number)[], message: string) => void;

type Row = Record<string, unknown>;

/**
 * Identities and references across the whole file: duplicates inside it, references to legal entities,
 * Smart Accounts and Virtual Accounts that exist neither in it nor in the database, and assets it would move
 * out of where an open transfer holds them. Rows may be malformed
 * (shape errors are reported elsewhere), so every field is checked for its type before use.
 */
export function checkCrossReferences(value: unknown, known: KnownIdentities, report: Report): void {
  const file = isRow(value) ? value : {};
  const legalEntities = rows(file.legalEntities);
  const smartAccounts = rows(file.smartAccounts);

  const entityIds = firstOccurrences(
    legalEntities,
    'legalEntities',
    (r) => str(r.id),
    'id',
    report,
    (id) => `legal entity "${id}" is listed twice`,
  );
  const entityExists = (id: string) => entityIds.has(id) || known.legalEntityIds.has(id);
  const checkEntity = (path: (string | number)[], id: unknown) => {
    if (typeof id === 'string' && id !== '' && !entityExists(id))
      report(path, `unknown legal entity "${id}"`);
  };

  legalEntities.forEach((entity, i) => {
    if (typeof entity.parentId === 'string' && entity.parentId === entity.id) {
      report(['legalEntities', i, 'parentId'], 'a legal entity cannot be its own parent');
    } else {
      checkEntity(['legalEntities', i, 'parentId'], entity.parentId);
    }
  });

  const domains = firstOccurrences(
    smartAccounts,
    'smartAccounts',
    (r) => lower(r.domain),
    'domain',
    report,
    (d) => `Smart Account "${d}" is listed twice`,
  );
  const fileVirtualAccounts = new Set<string>();
  smartAccounts.forEach((account, i) => {
    checkEntity(['smartAccounts', i, 'legalEntityId'], account.legalEntityId);
    const domain = lower(account.domain);
    if (domain === undefined) return;
    fileVirtualAccounts.add(vaKey(domain, DEFAULT_VIRTUAL_ACCOUNT));
    const seen = new Map<string, number>();
    rows(account.virtualAccounts).forEach((va, k) => {
      const name = lower(va.name);
      if (name === undefined) return;
      const first = seen.get(name);
      if (first !== undefined) {
        report(
          ['smartAccounts', i, 'virtualAccounts', k, 'name'],
          `Virtual Account "${String(va.name)}" is listed twice in ${domain} (also at virtualAccounts[${first}])`,
        );
      } else seen.set(name, k);
      fileVirtualAccounts.add(vaKey(domain, name));
    });
  });

  const accountExists = (domain: string) => domains.has(domain) || known.smartAccountDomains.has(domain);
  const checkAccount = (path: (string | number)[], domain: string | undefined): boolean => {
    if (domain === undefined) return false;
    if (accountExists(domain)) return true;
    report(path, `unknown Smart Account "${domain}": not in this file nor in the database`);
    return false;
  };
  /** Checks where a license or device goes; returns it when it exists. */
  const checkLocation = (list: string, row: Row, i: number): Place | undefined => {
    const domain = lower(row.smartAccount);
    if (!checkAccount([list, i, 'smartAccount'], domain) || domain === undefined) return undefined;
    const va = str(row.virtualAccount) ?? DEFAULT_VIRTUAL_ACCOUNT;
    const key = vaKey(domain, va);
    if (!fileVirtualAccounts.has(key) && !known.virtualAccounts.has(key)) {
      report([list, i, 'virtualAccount'], `unknown Virtual Account "${va}" in Smart Account ${domain}`);
      return undefined;
    }
    return { smartAccount: domain, virtualAccount: va };
  };
  // Attributes of a held asset may change; where it is may not.
  const checkHeld = (
    list: 'licenses' | 'devices',
    i: number,
    asset: string,
    held?: HeldAsset,
    to?: Place,
  ) => {
    const move = held && to && heldAssetMove(list, i, asset, held, to);
    if (move) report(move.path, move.message);
  };

  checkUsers(rows(file.users), known, report, checkEntity, checkAccount);

  const licenses = rows(file.licenses);
  firstOccurrences(
    licenses,
    'licenses',
    (r) =>
      str(r.salesOrder) !== undefined && str(r.line) !== undefined
        ? `${str(r.salesOrder)}\u0000${str(r.line)}`
        : undefined,
    'line',
    report,
    (key) => `sales order ${key.replace('\u0000', ' line ')} is listed twice`,
  );
  licenses.forEach((license, i) => {
    const to = checkLocation('licenses', license, i);
    const [salesOrder, line] = [str(license.salesOrder), str(license.line)];
    if (salesOrder !== undefined && line !== undefined) {
      const held = known.heldAssets?.licenses.get(licenseKey(salesOrder, line));
      checkHeld('licenses', i, licenseName(salesOrder, line), held, to);
    }
    checkLicenseLines(license, i, report);
  });

  const devices = rows(file.devices);
  firstOccurrences(
    devices,
    'devices',
    (r) => str(r.serialNumber)?.toUpperCase(),
    'serialNumber',
    report,
    (s) => `serial number ${s} is listed twice`,
  );
  devices.forEach((device, i) => {
    const to = checkLocation('devices', device, i);
    const serial = str(device.serialNumber);
    if (serial !== undefined) {
      const held = known.heldAssets?.devices.get(serial.toUpperCase());
      checkHeld('devices', i, deviceName(serial), held, to);
    }
  });
}

function checkUsers(
  users: Row[],
  known: KnownIdentities,
  report: Report,
  checkEntity: (path: (string | number)[], id: unknown) => void,
  checkAccount: (path: (string | number)[], domain: string | undefined) => boolean,
): void {
  firstOccurrences(
    users,
    'users',
    (r) => lower(r.email),
    'email',
    report,
    (e) => `user ${e} is listed twice`,
  );
  for (const [field, label, inDatabase] of [
    ['slackUserId', 'Slack user ID', known.slackUserIds],
    ['teamsUserId', 'Teams user ID', known.teamsUserIds],
  ] as const) {
    firstOccurrences(
      users,
      'users',
      (r) => str(r[field]),
      field,
      report,
      (id) => `${label} ${id} is given to two users`,
    );
    users.forEach((user, i) => {
      const id = str(user[field]);
      const holder = id === undefined ? undefined : inDatabase?.get(id);
      const email = lower(user.email);
      if (holder !== undefined && email !== undefined && holder !== email) {
        report(['users', i, field], `${label} ${id} already belongs to ${holder}`);
      }
    });
  }
  users.forEach((user, i) => {
    checkEntity(['users', i, 'legalEntityId'], user.legalEntityId);
    const granted = new Set<string>();
    rows(user.roles).forEach((role, k) => {
      const domain = lower(role.smartAccount);
      if (!checkAccount(['users', i, 'roles', k, 'smartAccount'], domain) || domain === undefined) return;
      if (granted.has(domain)) report(['users', i, 'roles', k, 'smartAccount'], `a second role on ${domain}`);
      granted.add(domain);
    });
  });
}

/** A line moves whole with its minor lines, so they must belong to it (`1.1` under `1`) and add up sensibly. */
function checkLicenseLines(license: Row, i: number, report: Report): void {
  const { quantity, inUse } = license;
  // A quantity below 1 is refused on its own; measured against it, any use would be a second error.
  if (typeof quantity === 'number' && quantity >= 1 && typeof inUse === 'number' && inUse > quantity) {
    report(['licenses', i, 'inUse'], `in use (${inUse}) cannot exceed the quantity (${quantity})`);
  }
  const major = str(license.line);
  const seen = new Set<string>();
  rows(license.minorLines).forEach((minor, k) => {
    const line = str(minor.line);
    if (line === undefined) return;
    if (major !== undefined && !line.startsWith(`${major}.`)) {
      report(
        ['licenses', i, 'minorLines', k, 'line'],
        `minor line ${line} does not belong to major line ${major}`,
      );
    }
    if (seen.has(line))
      report(['licenses', i, 'minorLines', k, 'line'], `minor line ${line} is listed twice`);
    seen.add(line);
  });
}

/** Reports every repeat of an identity, pointing at the first; returns the identities seen. */
function firstOccurrences(
  list: Row[],
  listName: string,
  identity: (row: Row) => string | undefined,
  field: string,
  report: Report,
  message: (id: string) => string,
): Map<string, number> {
  const seen = new Map<string, number>();
  list.forEach((row, i) => {
    const id = identity(row);
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else report([listName, i, field], `${message(id)} (first at ${listName}[${first}])`);
  });
  return seen;
}

function rows(value: unknown): Row[] {
  return Array.isArray(value) ? value.map((r) => (isRow(r) ? r : {})) : [];
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lower(value: unknown): string | undefined {
  return str(value)?.toLowerCase();
}
