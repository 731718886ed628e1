import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  NO_KNOWN_IDENTITIES,
  formatInventoryErrors,
  parseInventory,
  vaKey,
  type KnownIdentities,
} from '../../src/inventory/schema.js';
import { licenseKey } from '../../src/inventory/held-assets.js';

const demo: unknown = JSON.parse(
  readFileSync(new URL('../../data/demo-inventory.json', import.meta.url), 'utf8'),
);

function errorsOf(json: unknown, known: KnownIdentities = NO_KNOWN_IDENTITIES) {
  const result = parseInventory(json, known);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

describe('the demo inventory', () => {
  it('is a valid inventory on its own', () => {
    const result = parseInventory(demo, NO_KNOWN_IDENTITIES);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('exercises every eligibility rule and note of the specification', () => {
    const result = parseInventory(demo, NO_KNOWN_IDENTITIES);
    if (!result.ok) throw new Error('demo refused');
    const {
      licenses = [],
      devices = [],
      smartAccounts = [],
      users = [],
      legalEntities = [],
    } = result.inventory;
    const onPremVas = new Set(
      smartAccounts.flatMap((a) =>
        (a.virtualAccounts ?? []).filter((v) => v.onPrem).map((v) => vaKey(a.domain, v.name)),
      ),
    );
    expect(legalEntities.length).toBeGreaterThanOrEqual(3);
    expect(legalEntities.some((e) => e.parentId)).toBe(true);
    expect(smartAccounts.length).toBeGreaterThanOrEqual(4);
    expect(users.length).toBeGreaterThanOrEqual(8);
    expect(licenses.length).toBeGreaterThanOrEqual(40);
    expect(devices.length).toBeGreaterThanOrEqual(40);
    expect(licenses.some((l) => l.purchaseModel === 'enterprise_agreement')).toBe(true);
    expect(licenses.some((l) => l.pendingUpgrade)).toBe(true);
    expect(licenses.some((l) => l.inUse > 0)).toBe(true);
    expect(licenses.some((l) => l.reserved)).toBe(true);
    expect(new Set(licenses.map((l) => l.licenseType))).toEqual(
      new Set(['smart', 'classic', 'subscription']),
    );
    expect(
      licenses.some((l) => l.webOrder) &&
        licenses.some((l) => l.subscriptionId) &&
        licenses.some((l) => l.pak),
    ).toBe(true);
    const orders = licenses.map((l) => l.salesOrder);
    expect(orders.some((so, i) => orders.indexOf(so) !== i)).toBe(true);
    expect(devices.some((d) => d.registration === 'ssm_onprem')).toBe(true);
    expect(devices.some((d) => d.registration === 'cslu')).toBe(true);
    expect(devices.some((d) => onPremVas.has(vaKey(d.smartAccount, d.virtualAccount)))).toBe(true);
    // Plainly eligible assets everywhere, so every Smart Account can be a source.
    for (const { domain } of smartAccounts) {
      const eligibleLicense = licenses.some(
        (l) =>
          l.smartAccount === domain &&
          l.purchaseModel === 'standard' &&
          !l.pendingUpgrade &&
          l.inUse === 0 &&
          !l.reserved,
      );
      const eligibleDevice = devices.some(
        (d) =>
          d.smartAccount === domain &&
          d.registration === 'direct' &&
          !onPremVas.has(vaKey(domain, d.virtualAccount)),
      );
      expect({ domain, eligibleLicense, eligibleDevice }).toEqual({
        domain,
        eligibleLicense: true,
        eligibleDevice: true,
      });
    }
    expect(users.some((u) => !u.slackUserId && !u.teamsUserId)).toBe(true);
    expect(new Set(users.flatMap((u) => u.globalRoles ?? []))).toEqual(
      new Set(['compliance', 'licensing_ops', 'bot_admin']),
    );
  });
});

describe('a bad inventory file', () => {
  const bad = {
    legalEntities: [{ id: 'acme-fr', name: 'ACME France SAS', country: 'France', parentId: 'acme-group' }],
    smartAccounts: [
      {
        domain: 'acme.fr',
        name: 'ACME France',
        legalEntityId: 'acme-fr',
        virtualAccounts: [{ name: 'Lab' }, { name: 'LAB' }],
      },
      { name: 'No domain' },
      { domain: 'ACME.FR', name: 'ACME again' },
    ],
    users: [
      {
        email: 'marie.dupont@',
        name: 'Marie',
        roles: [{ smartAccount: 'acme.fr', role: 'owner' }],
        globalRoles: ['root'],
      },
      {
        email: 'jean@acme.fr',
        name: 'Jean',
        timeZone: 'Europe/Lyon',
        roles: [{ smartAccount: 'nowhere.fr', role: 'admin' }],
      },
    ],
    licenses: [
      {
        smartAccount: 'acme.fr',
        salesOrder: '1001',
        line: '1',
        pid: 'C9300-DNA-E-24-3Y',
        quantity: 10,
        licenseType: 'smart',
      },
      {
        smartAccount: 'unknown.example',
        salesOrder: '1001',
        line: '2',
        pid: 'X',
        quantity: 1,
        licenseType: 'smart',
      },
      {
        smartAccount: 'acme.fr',
        virtualAccount: 'Paris',
        salesOrder: '1001',
        line: '3',
        pid: 'X',
        quantity: 1.5,
        licenseType: 'perpetual',
      },
      {
        smartAccount: 'acme.fr',
        salesOrder: '1001',
        line: '1',
        pid: 'X',
        quantity: 0,
        inUse: 5,
        licenseType: 'classic',
        purchaseModel: 'ea',
        minorLines: [{ line: '2.1', pid: 'Y', quantity: 1 }],
      },
      {
        smartAccount: 'acme.fr',
        salesOrder: '1002',
        line: '1',
        pid: 'X',
        quantity: 2,
        inUse: 3,
        licenseType: 'smart',
        quantiy: 2,
      },
    ],
    devices: [
      { smartAccount: 'acme.fr', serialNumber: 'FOC2231X0AB', pid: 'C9300-24T', registration: 'onprem' },
      { smartAccount: 'acme.fr', virtualAccount: 'lab', serialNumber: 'foc2231x0ab', pid: 'C9300-24T' },
    ],
  };

  it('reports every error at once, each with its path', () => {
    const byPath = new Map<string, string[]>();
    for (const e of errorsOf(bad)) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.message]);
    const expectations: [string, RegExp][] = [
      ['legalEntities[0].country', /two-letter country code/],
      ['legalEntities[0].parentId', /unknown legal entity "acme-group"/],
      ['smartAccounts[0].virtualAccounts[1].name', /"LAB" is listed twice in acme\.fr/],
      ['smartAccounts[1].domain', /required/],
      ['smartAccounts[2].domain', /Smart Account "acme\.fr" is listed twice \(first at smartAccounts\[0\]\)/],
      ['users[0].email', /e-mail/],
      ['users[0].roles[0].role', /"admin"\|"user"/],
      ['users[0].globalRoles[0]', /"compliance"\|"licensing_ops"\|"bot_admin"/],
      ['users[1].timeZone', /time zone/],
      ['users[1].roles[0].smartAccount', /unknown Smart Account "nowhere\.fr"/],
      ['licenses[1].smartAccount', /unknown Smart Account "unknown\.example"/],
      ['licenses[2].virtualAccount', /unknown Virtual Account "Paris" in Smart Account acme\.fr/],
      ['licenses[2].licenseType', /"smart"\|"classic"\|"subscription"/],
      ['licenses[2].quantity', /whole number/],
      ['licenses[3].line', /sales order 1001 line 1 is listed twice \(first at licenses\[0\]\)/],
      ['licenses[3].quantity', /at least 1/],
      ['licenses[3].purchaseModel', /"standard"\|"enterprise_agreement"/],
      ['licenses[3].minorLines[0].line', /does not belong to major line 1/],
      ['licenses[4].inUse', /cannot exceed the quantity/],
      ['licenses[4].quantiy', /unknown field/],
      ['devices[0].registration', /"direct"\|"cslu"\|"ssm_onprem"/],
      ['devices[1].serialNumber', /serial number FOC2231X0AB is listed twice/],
    ];
    for (const [path, message] of expectations) {
      expect(byPath.get(path) ?? [`(no error at ${path})`]).toEqual(
        expect.arrayContaining([expect.stringMatching(message)]),
      );
    }
    // The VA `lab` exists in acme.fr (case-insensitive), so the second device's location is fine.
    expect(byPath.has('devices[1].virtualAccount')).toBe(false);
  });

  it('prints one line per error, path first', () => {
    const text = formatInventoryErrors(
      errorsOf({ devices: [{ smartAccount: 'x.fr', serialNumber: 'A1', pid: 'P' }] }),
    );
    expect(text).toBe(
      'devices[0].smartAccount: unknown Smart Account "x.fr": not in this file nor in the database',
    );
  });

  it('names a quantity below 1 once, without measuring the licenses in use against it', () => {
    const license = { smartAccount: 'acme.fr', salesOrder: '1', line: '1', pid: 'P', licenseType: 'smart' };
    expect(
      errorsOf({
        smartAccounts: [{ domain: 'acme.fr', name: 'Acme', legalEntityId: 'acme-fr' }],
        legalEntities: [{ id: 'acme-fr', name: 'Acme' }],
        licenses: [{ ...license, quantity: -5, inUse: 2 }],
      }),
    ).toEqual([{ path: 'licenses[0].quantity', message: 'must be at least 1' }]);
  });

  it('refuses a document that is not an inventory object', () => {
    expect(errorsOf([1, 2])).toEqual([{ path: '', message: 'must be an object ({…}), not a list ([…])' }]);
    expect(errorsOf({ licenses: {} })).toEqual([
      { path: 'licenses', message: 'must be a list ([…]), not an object ({…})' },
    ]);
    expect(errorsOf({ users: null })).toEqual([{ path: 'users', message: 'must be a list ([…]), not null' }]);
    expect(errorsOf({ licences: [] })).toEqual([{ path: 'licences', message: 'unknown field' }]);
  });
});

describe('references to what the database already holds', () => {
  const known: KnownIdentities = {
    legalEntityIds: new Set(['acme-fr']),
    smartAccountDomains: new Set(['acme.fr']),
    virtualAccounts: new Set([vaKey('acme.fr', 'DEFAULT'), vaKey('acme.fr', 'Lyon Lab')]),
    slackUserIds: new Map([['U0MARIE01', 'marie.dupont@acme.fr']]),
  };

  it('accepts assets, roles and legal entities that only the database knows, whatever their case', () => {
    const result = parseInventory(
      {
        smartAccounts: [{ domain: 'acme.be', name: 'ACME Belgique', legalEntityId: 'acme-fr' }],
        users: [
          {
            email: 'Marie.Dupont@ACME.fr',
            name: 'Marie',
            slackUserId: 'U0MARIE01',
            roles: [{ smartAccount: 'ACME.FR', role: 'admin' }],
          },
        ],
        licenses: [
          {
            smartAccount: 'Acme.Fr',
            virtualAccount: 'lyon lab',
            salesOrder: '9',
            line: '1',
            pid: 'X',
            quantity: 1,
            licenseType: 'smart',
          },
        ],
        devices: [{ smartAccount: 'acme.be', serialNumber: 'FOC1', pid: 'C9300-24T' }],
      },
      known,
    );
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('refuses a Slack ID that already belongs to someone else', () => {
    expect(
      errorsOf({ users: [{ email: 'jean@acme.fr', name: 'Jean', slackUserId: 'U0MARIE01' }] }, known),
    ).toEqual([
      {
        path: 'users[0].slackUserId',
        message: 'Slack user ID U0MARIE01 already belongs to marie.dupont@acme.fr',
      },
    ]);
  });

  it('still refuses a VA the Smart Account does not have', () => {
    expect(
      errorsOf(
        { devices: [{ smartAccount: 'acme.fr', virtualAccount: 'Paris', serialNumber: 'F1', pid: 'P' }] },
        known,
      ),
    ).toEqual([
      {
        path: 'devices[0].virtualAccount',
        message: 'unknown Virtual Account "Paris" in Smart Account acme.fr',
      },
    ]);
  });
});

describe('assets that open transfers hold', () => {
  const inTransfer = {
    transferId: 'AT-7K2Q9XYZ',
    status: 'awaiting_consent' as const,
    smartAccount: 'acme.fr',
    virtualAccount: 'DEFAULT',
  };
  const known: KnownIdentities = {
    legalEntityIds: new Set(),
    smartAccountDomains: new Set(['acme.fr', 'acme.be']),
    virtualAccounts: new Set([
      vaKey('acme.fr', 'DEFAULT'),
      vaKey('acme.fr', 'Lyon Lab'),
      vaKey('acme.be', 'DEFAULT'),
    ]),
    heldAssets: {
      licenses: new Map([[licenseKey('104857601', '1'), inTransfer]]),
      devices: new Map([['FOC2231X0AB', { ...inTransfer, status: 'pending_submission' }]]),
    },
  };
  const license = (extra: Record<string, unknown>) => ({
    smartAccount: 'acme.fr',
    salesOrder: '104857601',
    line: '1',
    pid: 'C9300-DNA-E-24-3Y',
    quantity: 10,
    licenseType: 'smart',
    ...extra,
  });

  it('refuses a move along with the file’s other errors, in one report', () => {
    expect(
      errorsOf(
        {
          licenses: [license({ smartAccount: 'acme.be', quantity: 0 })],
          devices: [
            {
              smartAccount: 'acme.fr',
              virtualAccount: 'Lyon Lab',
              serialNumber: 'foc2231x0ab',
              pid: 'C9300-24T',
            },
          ],
        },
        known,
      ),
    ).toEqual([
      { path: 'licenses[0].quantity', message: 'must be at least 1' },
      {
        path: 'licenses[0].smartAccount',
        message:
          'sales order 104857601 line 1 is in open transfer AT-7K2Q9XYZ (Submitted – Awaiting Transferor/Transferee Consent): it cannot move from acme.fr/DEFAULT to acme.be/DEFAULT until that transfer is finished or cancelled',
      },
      {
        path: 'devices[0].virtualAccount',
        message:
          'serial number foc2231x0ab is in open transfer AT-7K2Q9XYZ (Pending Submission): it cannot move from acme.fr/DEFAULT to acme.fr/Lyon Lab until that transfer is finished or cancelled',
      },
    ]);
  });

  it('accepts new attributes for a held asset that stays where it is, whatever the case of its place', () => {
    const result = parseInventory(
      {
        licenses: [
          license({ smartAccount: 'ACME.fr', virtualAccount: 'default', quantity: 12, description: 'x' }),
        ],
      },
      known,
    );
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
