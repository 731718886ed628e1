import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { importFile } from '../../adapters/cli/commands.js';
import { UserError } from '../../adapters/cli/runtime.js';
import { importInventory, loadKnownIdentities } from '../../db/inventory-import.js';
import { createStore } from '../../db/store.js';
import { importInventoryFile as importFileInto } from '../../src/app/inventory.js';
import { InventoryRefusedError, type ImportOptions } from '../../src/app/ports/inventory.js';
import * as schema from '../../db/schema.js';
import { parseInventory, type Inventory } from '../../src/inventory/schema.js';
import { cancelTransfer, submitTransfer } from '../../src/app/actions.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, pendingSubmission, statusOf } from '../support/transfers.js';
import { actor, seededDatabase, testDeps } from '../support/world.js';

/** The application's import of a file, on this database. */
const importInventoryFile = (db: Db, path: string, options?: ImportOptions) =>
  importFileInto(testDeps(db), path, options);

/** The counts of an import of an inventory already validated. */
const importCounts = async (...args: Parameters<typeof importInventory>) =>
  (await importInventory(...args)).counts;

const demoPath = new URL('../../data/demo-inventory.json', import.meta.url);
const demoJson = readFileSync(demoPath, 'utf8');
const demo = () => JSON.parse(demoJson) as Record<string, Record<string, unknown>[]>;

async function tableCounts(db: Db) {
  return {
    legalEntities: await db.$count(schema.legalEntities),
    smartAccounts: await db.$count(schema.smartAccounts),
    virtualAccounts: await db.$count(schema.virtualAccounts),
    users: await db.$count(schema.users),
    roleGrants: await db.$count(schema.roleGrants),
    licenses: await db.$count(schema.licenses),
    devices: await db.$count(schema.devices),
  };
}

/** Each row's version (`xmin`): a row the import writes, even with the values it held, gets a new one. */
async function rowVersions(db: Db) {
  const versions: Record<string, string[]> = {};
  const tables = [
    'legal_entities',
    'smart_accounts',
    'virtual_accounts',
    'users',
    'user_identities',
    'role_grants',
  ];
  for (const table of [...tables, 'licenses', 'devices']) {
    versions[table] = rowsOf<{ version: string }>(
      await db.execute(sql`select xmin::text as version from ${sql.identifier(table)} order by xmin::text`),
    ).map((row) => row.version);
  }
  return versions;
}

async function validated(db: Db, json: unknown): Promise<Inventory> {
  const parsed = parseInventory(json, await loadKnownIdentities(db));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.inventory;
}

async function grantsOf(db: Db, email: string): Promise<string[]> {
  const rows = await db
    .select({ domain: schema.smartAccounts.domain, role: schema.roleGrants.role })
    .from(schema.roleGrants)
    .innerJoin(schema.users, eq(schema.users.id, schema.roleGrants.userId))
    .innerJoin(schema.smartAccounts, eq(schema.smartAccounts.id, schema.roleGrants.smartAccountId))
    .where(eq(schema.users.email, email));
  return rows.map((r) => `${r.role}@${r.domain}`).sort();
}

describe.each(drivers)('importing an inventory (%s)', (driver) => {
  let database: TestDatabase;
  let db: Db;
  let dir: string;
  // Listed VAs, plus the DEFAULT the import adds to each Smart Account that does not list one.
  const listedVas = demo().smartAccounts!.flatMap(
    (a) => (a.virtualAccounts as { name: string }[] | undefined) ?? [],
  );
  const implicitDefaults = demo().smartAccounts!.filter(
    (a) => !((a.virtualAccounts as { name: string }[] | undefined) ?? []).some((v) => v.name === 'DEFAULT'),
  );

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    db = database.db;
    dir = mkdtempSync(join(tmpdir(), 'inventory-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  });

  it('creates everything the demo lists, with a DEFAULT VA in every Smart Account', async () => {
    const result = await importInventoryFile(db, fileURLToPath(demoPath));
    expect(result).toEqual({
      ok: true,
      counts: {
        legalEntities: { created: 5, updated: 0, unchanged: 0 },
        smartAccounts: { created: 6, updated: 0, unchanged: 0 },
        virtualAccounts: { created: listedVas.length + implicitDefaults.length, updated: 0, unchanged: 0 },
        users: { created: 11, updated: 0, unchanged: 0 },
        licenses: { created: 44, updated: 0, unchanged: 0 },
        devices: { created: 44, updated: 0, unchanged: 0 },
      },
      placedElsewhere: [],
      // The people it creates start with the roles it gives them: no change to tell anyone.
      rolesChanged: [],
      cancelled: [],
    });
    expect(implicitDefaults.length).toBeGreaterThan(0);
    const defaults = await db
      .select()
      .from(schema.virtualAccounts)
      .where(eq(schema.virtualAccounts.name, 'DEFAULT'));
    expect(defaults).toHaveLength(6);

    const [lab] = await db
      .select()
      .from(schema.virtualAccounts)
      .where(eq(schema.virtualAccounts.name, 'Lyon Lab'));
    expect(lab?.onPrem).toBe(true);
    expect(await grantsOf(db, 'erik.lindqvist@nordlys.se')).toEqual([
      'admin@harbourline.co.uk',
      'admin@lumiere-reseaux.fr',
      'admin@nordlys.se',
      'admin@sakuranet.co.jp',
    ]);
    const [claire] = await db
      .select()
      .from(schema.users)
      .where(eq(schema.users.email, 'claire.fontaine@transferdesk.example'));
    expect(claire).toMatchObject({ globalRoles: ['compliance'], locale: 'fr', timeZone: 'Europe/Paris' });
    const [line] = await db
      .select()
      .from(schema.licenses)
      .where(and(eq(schema.licenses.salesOrder, '104857601'), eq(schema.licenses.line, '1')));
    expect(line).toMatchObject({
      quantity: 10,
      inUse: 4,
      licenseType: 'smart',
      purchaseModel: 'standard',
      minorLines: [
        { line: '1.1', pid: 'C9300-NW-E-24', quantity: 10 },
        { line: '1.4', pid: 'C9300-DNA-E-24-SW', quantity: 10 },
      ],
    });
    const [onPrem] = await db
      .select()
      .from(schema.devices)
      .where(eq(schema.devices.serialNumber, 'FDO2208A1BD'));
    expect(onPrem?.registration).toBe('ssm_onprem');
  });

  it('counts every row unchanged, and writes none, when the same file comes again', async () => {
    const before = await tableCounts(db);
    const versions = await rowVersions(db);
    // A small batch size makes the assets go in several statements, as a large file would.
    const counts = await importCounts(db, await validated(db, demo()), { batchSize: 7 });
    expect(counts).toEqual({
      legalEntities: { created: 0, updated: 0, unchanged: 5 },
      smartAccounts: { created: 0, updated: 0, unchanged: 6 },
      // The DEFAULT accounts the import adds itself are counted too: every account it created, and the doctor counts.
      virtualAccounts: { created: 0, updated: 0, unchanged: before.virtualAccounts },
      users: { created: 0, updated: 0, unchanged: 11 },
      licenses: { created: 0, updated: 0, unchanged: 44 },
      devices: { created: 0, updated: 0, unchanged: 44 },
    });
    expect(before.virtualAccounts).toBe(listedVas.length + implicitDefaults.length);
    expect(await tableCounts(db)).toEqual(before);
    expect(await rowVersions(db)).toEqual(versions);

    // What the administrator reads: nothing changed.
    expect(await importFile(testDeps(db), fileURLToPath(demoPath))).toBe(
      'legalEntities: 0 created, 0 updated, 5 unchanged; smartAccounts: 0 created, 0 updated, 6 unchanged; ' +
        `virtualAccounts: 0 created, 0 updated, ${listedVas.length + implicitDefaults.length} unchanged; ` +
        'users: 0 created, 0 updated, 11 unchanged; licenses: 0 created, 0 updated, 44 unchanged; ' +
        'devices: 0 created, 0 updated, 44 unchanged',
    );
  });

  it('counts as updated only the rows of a file where a stored value changes', async () => {
    const file = demo();
    file.licenses![3]!.inUse = 1;
    file.devices![40]!.pnpStatus = 'unclaimed';
    file.legalEntities![0]!.address = '2 Place Bellecour, 69002 Lyon';
    const counts = await importCounts(db, await validated(db, file), { batchSize: 7 });
    expect(counts).toEqual({
      legalEntities: { created: 0, updated: 1, unchanged: 4 },
      smartAccounts: { created: 0, updated: 0, unchanged: 6 },
      virtualAccounts: { created: 0, updated: 0, unchanged: listedVas.length + implicitDefaults.length },
      users: { created: 0, updated: 0, unchanged: 11 },
      licenses: { created: 0, updated: 1, unchanged: 43 },
      devices: { created: 0, updated: 1, unchanged: 43 },
    });
  });

  it('applies changes and additions from a partial file, and deletes nothing it leaves out', async () => {
    const before = await tableCounts(db);
    const progress: string[] = [];
    const counts = await importCounts(
      db,
      await validated(db, {
        smartAccounts: [{ domain: 'lumiere-reseaux.fr', name: 'Lumière Réseaux – Lyon Part-Dieu' }],
        users: [
          {
            email: 'erik.lindqvist@nordlys.se',
            name: 'Erik Lindqvist',
            roles: [{ smartAccount: 'nordlys.se', role: 'admin' }],
          },
        ],
        licenses: [
          // No description: the stored one stays.
          {
            smartAccount: 'lumiere-reseaux.fr',
            salesOrder: '104857601',
            line: '1',
            pid: 'C9300-DNA-E-24-3Y',
            quantity: 12,
            licenseType: 'smart',
          },
        ],
        devices: [
          {
            smartAccount: 'paris.lumiere-reseaux.fr',
            virtualAccount: 'datacenter saint-denis',
            serialNumber: 'FOC2402Z0NEW',
            pid: 'C9300-48P',
          },
        ],
      }),
      { onProgress: (p) => progress.push(`${p.list} ${p.done}/${p.total}`) },
    );
    expect(counts.smartAccounts).toEqual({ created: 0, updated: 1, unchanged: 0 });
    // Erik's own row is as stored; his roles on lumiere-reseaux.fr go.
    expect(counts.users).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(counts.licenses).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(counts.devices).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(progress).toEqual(['licenses 1/1', 'devices 1/1']);
    expect(await tableCounts(db)).toEqual({
      ...before,
      devices: before.devices + 1,
      roleGrants: before.roleGrants - 1,
    });

    const [line] = await db
      .select()
      .from(schema.licenses)
      .where(and(eq(schema.licenses.salesOrder, '104857601'), eq(schema.licenses.line, '1')));
    expect(line).toMatchObject({
      quantity: 12,
      inUse: 0,
      description: 'Cisco DNA Essentials, Catalyst 9300 24-port, 3 Year Term',
    });
    const [account] = await db
      .select()
      .from(schema.smartAccounts)
      .where(eq(schema.smartAccounts.domain, 'lumiere-reseaux.fr'));
    expect(account).toMatchObject({
      name: 'Lumière Réseaux – Lyon Part-Dieu',
      legalEntityId: 'lumiere-reseaux-fr',
    });
    // Roles are replaced on the Smart Accounts the file names (lumiere-reseaux.fr, nordlys.se) and kept elsewhere.
    expect(await grantsOf(db, 'erik.lindqvist@nordlys.se')).toEqual([
      'admin@harbourline.co.uk',
      'admin@nordlys.se',
      'admin@sakuranet.co.jp',
    ]);
    // The file leaves Erik's Slack id and language out: what is stored stays.
    const erik = await createStore(db).users.findUser({ email: 'erik.lindqvist@nordlys.se' });
    expect(erik).toMatchObject({ identities: { slack: 'U0ERIK001' }, locale: 'en' });
  });

  it('writes nothing at all when one row of the file is bad', async () => {
    const before = await tableCounts(db);
    const file = demo();
    file.licenses![0]!.quantity = 99;
    file.devices!.push({
      smartAccount: 'sakuranet.co.jp',
      virtualAccount: '名古屋支店',
      serialNumber: 'FOC2402Z0BAD',
      pid: 'C9300-24T',
    });
    const path = join(dir, 'one-bad-row.json');
    writeFileSync(path, JSON.stringify(file));

    expect(await importInventoryFile(db, path)).toEqual({
      ok: false,
      errors: [
        {
          path: 'devices[44].virtualAccount',
          message: 'unknown Virtual Account "名古屋支店" in Smart Account sakuranet.co.jp',
        },
      ],
    });
    expect(await tableCounts(db)).toEqual(before);
    const [line] = await db.select().from(schema.licenses).where(eq(schema.licenses.salesOrder, '104857601'));
    expect(line?.quantity).not.toBe(99);
  });

  /** The file at `path` is refused whole with one error matching `message`, and nothing is written. */
  async function refusedWhole(path: string, message: RegExp) {
    const before = await tableCounts(db);
    expect(await importInventoryFile(db, path)).toEqual({
      ok: false,
      errors: [{ path: '', message: expect.stringMatching(message) }],
    });
    expect(await tableCounts(db)).toEqual(before);
  }

  it('refuses a file that is not UTF-8, naming the first byte that is not, instead of changing its names', async () => {
    const path = join(dir, 'latin1.json');
    // Saved as Windows-1252: "Nordlys \xC5\xFE AB" holds two bytes UTF-8 has no place for.
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('{\n  "legalEntities": [{ "id": "nordlys-se", "name": "Nordlys ', 'utf8'),
        Buffer.from([0xc5, 0xfe]),
        Buffer.from(' AB" }]\n}\n', 'utf8'),
      ]),
    );
    await refusedWhole(
      path,
      /latin1\.json is not UTF-8: byte 0xC5 at line 2, column 60; save it again as UTF-8/,
    );
  });

  it('says a file over 2 GiB is too large to read and to split it, as it says of one over 512 MB', async () => {
    const path = join(dir, 'huge.json');
    // A sparse file: its size without its bytes on disk.
    writeFileSync(path, '');
    truncateSync(path, 2 ** 31 + 1);
    try {
      await refusedWhole(
        path,
        /^cannot read .*huge\.json: larger than one string can hold .*; split it into several files$/,
      );
    } finally {
      rmSync(path);
    }
  });

  it('says a file saved as UTF-16 is UTF-16, not an 8-bit encoding', async () => {
    const text = '{\n  "legalEntities": [{ "id": "nordlys-se", "name": "Nordlys Å AB" }]\n}\n';
    const path = join(dir, 'utf16.json');
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.from(text, 'utf16le'),
    ]) {
      writeFileSync(path, bytes);
      await refusedWhole(path, /utf16\.json is UTF-16, not UTF-8: save it again as UTF-8/);
    }
  });

  it('refuses a file that gives a property twice, which JSON would read as only its last value', async () => {
    const path = join(dir, 'merged.json');
    // Two hand-merged files: the first "legalEntities" list would be dropped without a word.
    writeFileSync(path, '{\n  "legalEntities": [{ "id": "x", "name": "X" }],\n  "legalEntities": []\n}\n');
    await refusedWhole(
      path,
      /merged\.json at line 3, column 3: property "legalEntities" is given twice in one object \(only its last value would be read\)$/,
    );
  });

  it('says where a JSON syntax error is, and writes nothing', async () => {
    const before = await tableCounts(db);
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "legalEntities": [\n    { "id": "x", "name": "X" },\n  ]\n}\n');
    const result = await importInventoryFile(db, path);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: '',
          message: expect.stringMatching(
            /broken\.json is not valid JSON at line 4, column 3: unexpected "]", expected another value \(remove the comma before "]"\)$/,
          ),
        },
      ],
    });
    expect(await importInventoryFile(db, join(dir, 'missing.json'))).toEqual({
      ok: false,
      errors: [{ path: '', message: expect.stringMatching(/cannot read .*missing\.json: no such file/) }],
    });
    expect(await importInventoryFile(db, dir)).toEqual({
      ok: false,
      errors: [{ path: '', message: `cannot read ${dir}: it is a folder; name the inventory file in it` }],
    });
    expect(await tableCounts(db)).toEqual(before);
  });

  it('rolls back everything when the database refuses part of an import', async () => {
    const before = await tableCounts(db);
    // Not validated: the license names a Smart Account that does not exist, which the import only finds late.
    const unchecked = {
      legalEntities: [{ id: 'rollback-test', name: 'Rollback SARL' }],
      licenses: [{ smartAccount: 'nowhere.example', virtualAccount: 'DEFAULT', salesOrder: '1', line: '1' }],
    } as unknown as Inventory;
    await expect(importInventory(db, unchecked)).rejects.toThrow(/licenses\[0\]/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it('links people on Slack and Teams as the file says: a changed id replaces the old, one left out stays', async () => {
    const users = createStore(db).users;
    const marie = 'marie.dupont@lumiere-reseaux.fr';
    expect((await users.findUser({ email: marie }))?.identities).toEqual({
      slack: 'U0MARIE01',
      teams: '29:1mArIeDuP0nT-7fQzK3v9Lx0aBcWnE4yHs',
    });
    const counts = await importCounts(
      db,
      await validated(db, { users: [{ email: marie, name: 'Marie Dupont', teamsUserId: '29:marie-new' }] }),
    );
    // Her row is as stored; her Teams id is not.
    expect(counts.users).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await users.findUser({ email: marie }))?.identities).toEqual({
      slack: 'U0MARIE01',
      teams: '29:marie-new',
    });
    // Found by either id, and the old Teams id leads to nobody.
    expect(
      (await users.findUser({ identity: { platform: 'teams', externalId: '29:marie-new' } }))?.email,
    ).toBe(marie);
    expect(
      await users.findUser({
        identity: { platform: 'teams', externalId: '29:1mArIeDuP0nT-7fQzK3v9Lx0aBcWnE4yHs' },
      }),
    ).toBeUndefined();
    // Another person may not take an id someone holds: the file is refused, naming it.
    const known = await loadKnownIdentities(db);
    const taken = parseInventory(
      { users: [{ email: 'erik.lindqvist@nordlys.se', name: 'Erik Lindqvist', slackUserId: 'U0MARIE01' }] },
      known,
    );
    expect(!taken.ok && taken.errors.map((e) => e.path)).toEqual(['users[0].slackUserId']);
  });

  it('matches identities whatever their case', async () => {
    const first = await importCounts(
      db,
      await validated(db, {
        smartAccounts: [{ domain: 'ACME.FR', name: 'ACME France', virtualAccounts: [{ name: 'Lab' }] }],
        users: [
          {
            email: 'Jean.Martin@ACME.fr',
            name: 'Jean Martin',
            roles: [{ smartAccount: 'Acme.FR', role: 'admin' }],
          },
        ],
        devices: [
          { smartAccount: 'acme.fr', virtualAccount: 'LAB', serialNumber: 'foc2402z0acm', pid: 'C9300-24T' },
        ],
      }),
    );
    expect(first.smartAccounts).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const before = await tableCounts(db);
    const second = await importCounts(
      db,
      await validated(db, {
        smartAccounts: [
          { domain: 'acme.fr', name: 'ACME France SAS', virtualAccounts: [{ name: 'LAB', onPrem: true }] },
        ],
        users: [
          {
            email: 'jean.martin@acme.fr',
            name: 'Jean Martin',
            roles: [{ smartAccount: 'acme.fr', role: 'admin' }],
          },
        ],
        devices: [
          { smartAccount: 'Acme.Fr', virtualAccount: 'lab', serialNumber: 'FOC2402Z0ACM', pid: 'C9300-24T' },
        ],
      }),
    );
    expect(second).toMatchObject({
      smartAccounts: { created: 0, updated: 1 },
      virtualAccounts: { created: 0, updated: 1 },
      users: { created: 0, updated: 1 },
      devices: { created: 0, updated: 1 },
    });
    expect(await tableCounts(db)).toEqual(before);
    const [va] = await db
      .select()
      .from(schema.virtualAccounts)
      .where(sql`lower(${schema.virtualAccounts.name}) = 'lab'`);
    expect(va).toMatchObject({ name: 'LAB', onPrem: true });
    expect(await grantsOf(db, 'jean.martin@acme.fr')).toEqual(['admin@acme.fr']);
  });
});

describe.each(drivers)('importing an inventory while transfers are open (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let db: Db;
  let dir: string;
  let awaiting: string;
  let pending: string;
  const AWAITING = 'Submitted – Awaiting Transferor/Transferee Consent';

  /** `order` as in the bot's references: `100-2` is line 2 of sales order 100. */
  const license = (order: string, smartAccount: string, virtualAccount = 'DEFAULT', extra = {}) => {
    const [salesOrder, line] = order.split('-') as [string, string];
    return {
      smartAccount,
      virtualAccount,
      salesOrder,
      line,
      pid: 'C9300-DNA-E-24-3Y',
      quantity: 10,
      licenseType: 'smart',
      minorLines: [{ line: `${line}.1`, pid: 'C9300-DNA-E-24', quantity: 10 }],
      ...extra,
    };
  };
  const device = (serialNumber: string, smartAccount: string, virtualAccount = 'DEFAULT', extra = {}) => ({
    smartAccount,
    virtualAccount,
    serialNumber,
    pid: 'C9300-24T',
    ...extra,
  });
  const file = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(json));
    return path;
  };
  /** Every asset and where it is, to show that a refused import changed nothing. */
  const assets = async () => ({
    licenses: await db
      .select()
      .from(schema.licenses)
      .orderBy(schema.licenses.salesOrder, schema.licenses.line),
    devices: await db.select().from(schema.devices).orderBy(schema.devices.serialNumber),
  });
  const placeOf = async (table: 'licenses' | 'devices', where: SQL) => {
    const t = table === 'licenses' ? schema.licenses : schema.devices;
    const [row] = await db
      .select({ domain: schema.smartAccounts.domain, va: schema.virtualAccounts.name })
      .from(t)
      .innerJoin(schema.smartAccounts, eq(schema.smartAccounts.id, t.smartAccountId))
      .innerJoin(schema.virtualAccounts, eq(schema.virtualAccounts.id, t.virtualAccountId))
      .where(where);
    return row && `${row.domain}/${row.va}`;
  };

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    db = database.db;
    dir = mkdtempSync(join(tmpdir(), 'inventory-held-'));
    awaiting = await awaitingConsent(deps, 'SO:100-1');
    pending = await pendingSubmission(deps, 'SN:FOC0001');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  });

  it('refuses to move assets that open transfers hold, one error each, and writes nothing', async () => {
    const before = await assets();
    const path = file('moves-held.json', {
      licenses: [
        license('100-2', 'fr-a.example', 'DEFAULT', { quantity: 12 }),
        license('100-1', 'be.example'),
        license('105-1', 'fr-b.example'),
      ],
      devices: [
        device('FOC0002', 'fr-a.example', 'DEFAULT', { registration: 'cslu', hostId: 'AA:BB' }),
        device('FOC0001', 'fr-a.example', 'Lab'),
      ],
    });
    const errors = [
      {
        path: 'licenses[1].smartAccount',
        message: `sales order 100 line 1 is in open transfer ${awaiting} (${AWAITING}): it cannot move from fr-a.example/DEFAULT to be.example/DEFAULT until that transfer is finished or cancelled`,
      },
      {
        path: 'devices[1].virtualAccount',
        message: `serial number FOC0001 is in open transfer ${pending} (Pending Submission): it cannot move from fr-a.example/DEFAULT to fr-a.example/Lab until that transfer is finished or cancelled`,
      },
    ];
    expect(await importInventoryFile(db, path)).toEqual({ ok: false, errors });
    await expect(importFile(testDeps(database.db), path)).rejects.toThrow(
      new UserError(
        `${path} was not imported (2 errors, nothing written):\n` +
          errors.map((e) => `${e.path}: ${e.message}`).join('\n'),
      ),
    );
    expect(await assets()).toEqual(before);
    expect(await statusOf(db, awaiting)).toBe('awaiting_consent');
  });

  it('says in one line why a file it cannot read was not imported', async () => {
    const missing = join(dir, 'no-such-inventory.json');
    const told = await importFile(testDeps(database.db), missing).catch((err: unknown) => err);
    expect(told).toBeInstanceOf(UserError);
    expect((told as UserError).message).toMatch(
      /^\S+no-such-inventory\.json was not imported \(nothing written\): .+$/,
    );
    expect((told as UserError).message).not.toContain('\n');
  });

  it('lets a held asset’s attributes change as long as it stays where it is', async () => {
    const result = await importInventoryFile(
      db,
      file('attributes-of-held.json', {
        licenses: [license('100-1', 'FR-A.example', 'default', { quantity: 12, description: 'Renewed' })],
        devices: [device('foc0001', 'fr-a.example', 'DEFAULT', { hostId: '5C:FC:66:01:02:03' })],
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      counts: { licenses: { created: 0, updated: 1 }, devices: { created: 0, updated: 1 } },
    });
    const [line] = await db
      .select()
      .from(schema.licenses)
      .where(and(eq(schema.licenses.salesOrder, '100'), eq(schema.licenses.line, '1')));
    expect(line).toMatchObject({ quantity: 12, description: 'Renewed' });
    expect(await placeOf('licenses', eq(schema.licenses.salesOrder, '100'))).toBe('fr-a.example/DEFAULT');
    const held = await db
      .select({ transferId: schema.transferItems.transferId })
      .from(schema.transferItems)
      .where(eq(schema.transferItems.open, true));
    expect(held.map((h) => h.transferId).sort()).toEqual([awaiting, pending].sort());
  });

  it('moves assets whose transfer is over, cancelled or completed', async () => {
    const cancelled = await cancelTransfer(deps, await actor(db, 'alice'), pending);
    expect(cancelled.ok).toBe(true);
    const completed = await pendingSubmission(deps, 'SO:105-1');
    const submitted = await submitTransfer(deps, await actor(db, 'alice'), completed);
    expect(submitted.ok && submitted.value.status).toBe('transfer_completed');
    expect(await placeOf('licenses', eq(schema.licenses.salesOrder, '105'))).toBe('fr-b.example/DEFAULT');

    const result = await importInventoryFile(
      db,
      file('moves-after.json', {
        licenses: [license('105-1', 'fr-a.example')],
        devices: [device('FOC0001', 'fr-a.example', 'Lab')],
      }),
    );
    expect(result.ok).toBe(true);
    expect(await placeOf('licenses', eq(schema.licenses.salesOrder, '105'))).toBe('fr-a.example/DEFAULT');
    expect(await placeOf('devices', eq(schema.devices.serialNumber, 'FOC0001'))).toBe('fr-a.example/Lab');
  });

  it('refuses a move when a transfer takes the asset after the file was checked', async () => {
    const inventory = await validated(db, {
      licenses: [
        license('103-1', 'fr-a.example', 'DEFAULT', { quantity: 20 }),
        license('104-1', 'be.example'),
      ],
    });
    const taken = await pendingSubmission(deps, 'SO:104-1');
    const before = await assets();
    const refused = importInventory(db, inventory, { batchSize: 1 });
    await expect(refused).rejects.toBeInstanceOf(InventoryRefusedError);
    await expect(refused).rejects.toMatchObject({
      errors: [
        {
          path: 'licenses[1].smartAccount',
          message: `sales order 104 line 1 is in open transfer ${taken} (Pending Submission): it cannot move from fr-a.example/DEFAULT to be.example/DEFAULT until that transfer is finished or cancelled`,
        },
      ],
    });
    expect(await assets()).toEqual(before);
  });
});
