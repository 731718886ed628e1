import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import type { Db } from '../../db/client.js';
import {
  devices,
  legalEntities,
  licenses,
  roleGrants,
  smartAccounts,
  userIdentities,
  users,
  virtualAccounts,
} from '../../db/schema.js';
import { createStore } from '../../db/store.js';
import type { AppDeps } from '../../src/app/deps.js';
import { loadActor } from '../../src/app/identity.js';
import type { Actor, Surface } from '../../src/domain/types.js';
import { createTestDatabase, type Driver, type TestDatabase } from './db.js';

/**
 * A small inventory every service test can reason about:
 * - fr-a.example and fr-b.example: two sites of one French company (same legal entity);
 * - be.example: its Belgian affiliate (another legal entity);
 * - alice administers all three; bob administers be.example; carol administers fr-a.example;
 *   paul is a partner administering fr-a and be; cora is compliance; olga is licensing operations;
 *   ada is the bot admin, and administers nothing.
 */
export const EMAILS = {
  alice: 'alice@fr.example',
  bob: 'bob@be.example',
  carol: 'carol@fr.example',
  paul: 'paul@partner.example',
  cora: 'cora@compliance.example',
  olga: 'olga@ops.example',
  eve: 'eve@nowhere.example',
  ada: 'ada@ops.example',
} as const;

export type Name = keyof typeof EMAILS;

export async function seedWorld(db: Db, extraLicenses = 0): Promise<void> {
  await db.insert(legalEntities).values([
    { id: 'fr', name: 'Lumière Réseaux SAS', country: 'FR', address: '1 rue de la République, Lyon' },
    {
      id: 'be',
      name: 'Lumière Réseaux Belgique SA',
      country: 'BE',
      address: 'Avenue Louise 1, Bruxelles',
      parentId: 'fr',
    },
    { id: 'partner', name: 'Partner Integration', country: 'FR' },
    { id: 'cisco', name: 'Vendor', country: 'US' },
  ]);
  const sas = await db
    .insert(smartAccounts)
    .values([
      { domain: 'fr-a.example', name: 'Lumière Lyon', legalEntityId: 'fr' },
      { domain: 'fr-b.example', name: 'Lumière Paris', legalEntityId: 'fr' },
      { domain: 'be.example', name: 'Lumière Belgique', legalEntityId: 'be' },
    ])
    .returning();
  const [frA, frB, be] = sas as [(typeof sas)[0], (typeof sas)[0], (typeof sas)[0]];
  const vas = await db
    .insert(virtualAccounts)
    .values([
      { smartAccountId: frA.id, name: 'DEFAULT' },
      { smartAccountId: frA.id, name: 'Lab', onPrem: true },
      { smartAccountId: frB.id, name: 'DEFAULT' },
      { smartAccountId: be.id, name: 'DEFAULT' },
    ])
    .returning();
  const va = (sa: number, name: string) => vas.find((v) => v.smartAccountId === sa && v.name === name)!.id;
  const people = await db
    .insert(users)
    .values([
      { email: EMAILS.alice, name: 'Alice Martin', locale: 'fr', legalEntityId: 'fr' },
      { email: EMAILS.bob, name: 'Bob Peeters', locale: 'en', legalEntityId: 'be' },
      { email: EMAILS.carol, name: 'Carol Durand', locale: 'fr', legalEntityId: 'fr' },
      { email: EMAILS.paul, name: 'Paul Partner', locale: 'en', legalEntityId: 'partner' },
      {
        email: EMAILS.cora,
        name: 'Cora Compliance',
        locale: 'ja',
        legalEntityId: 'cisco',
        globalRoles: ['compliance'],
      },
      { email: EMAILS.olga, name: 'Olga Ops', legalEntityId: 'cisco', globalRoles: ['licensing_ops'] },
      { email: EMAILS.eve, name: 'Eve Nobody', legalEntityId: 'partner' },
      {
        email: EMAILS.ada,
        name: 'Ada Admin',
        locale: 'fr',
        legalEntityId: 'cisco',
        globalRoles: ['bot_admin'],
      },
    ])
    .returning();
  const id = (email: string) => people.find((p) => p.email === email)!.id;
  // Alice and Bob are linked on Slack; everyone else is found by e-mail.
  await db.insert(userIdentities).values([
    { platform: 'slack', externalId: 'UALICE', userId: id(EMAILS.alice) },
    { platform: 'slack', externalId: 'UBOB', userId: id(EMAILS.bob) },
  ]);
  await db.insert(roleGrants).values([
    { userId: id(EMAILS.alice), smartAccountId: frA.id, role: 'admin' },
    { userId: id(EMAILS.alice), smartAccountId: frB.id, role: 'admin' },
    { userId: id(EMAILS.alice), smartAccountId: be.id, role: 'admin' },
    { userId: id(EMAILS.bob), smartAccountId: be.id, role: 'admin' },
    { userId: id(EMAILS.carol), smartAccountId: frA.id, role: 'admin' },
    { userId: id(EMAILS.paul), smartAccountId: frA.id, role: 'admin' },
    { userId: id(EMAILS.paul), smartAccountId: be.id, role: 'admin' },
  ]);
  const lic = (so: string, line: string, extra: Partial<typeof licenses.$inferInsert> = {}) => ({
    smartAccountId: frA.id,
    virtualAccountId: va(frA.id, 'DEFAULT'),
    salesOrder: so,
    line,
    pid: 'C9300-DNA-E-24-3Y',
    description: 'DNA Essentials 24-port, 3 years',
    quantity: 10,
    licenseType: 'smart' as const,
    minorLines: [{ line: `${line}.1`, pid: 'C9300-DNA-E-24', quantity: 10 }],
    ...extra,
  });
  await db
    .insert(licenses)
    .values([
      lic('100', '1', { webOrder: 'WO-1', subscriptionId: 'Sub-1' }),
      lic('100', '2'),
      lic('101', '1', { purchaseModel: 'enterprise_agreement' }),
      lic('102', '1', { pendingUpgrade: true }),
      lic('103', '1', { inUse: 4 }),
      lic('104', '1', { reserved: true, pak: 'PAK-1' }),
      lic('105', '1'),
      ...Array.from({ length: extraLicenses }, (_, i) => lic('900', String(i + 1))),
    ]);
  const dev = (serial: string, extra: Partial<typeof devices.$inferInsert> = {}) => ({
    smartAccountId: frA.id,
    virtualAccountId: va(frA.id, 'DEFAULT'),
    serialNumber: serial,
    pid: 'C9300-24T',
    ...extra,
  });
  await db
    .insert(devices)
    .values([
      dev('FOC0001'),
      dev('FOC0002', { registration: 'cslu' }),
      dev('FOC0003', { registration: 'ssm_onprem' }),
      dev('FOC0004', { virtualAccountId: va(frA.id, 'Lab') }),
    ]);
}

export function actor(db: Db, name: Name, surface: Surface = 'console'): Promise<Actor> {
  return actorIn({ store: createStore(db) }, name, surface);
}

/** One of the inventory's people as the application knows them now. */
export async function actorIn(
  deps: Pick<AppDeps, 'store'>,
  name: Name,
  surface: Surface = 'console',
): Promise<Actor> {
  const user = await deps.store.users.findUser({ email: EMAILS[name] });
  if (!user) throw new Error(`no user ${name}`);
  return loadActor(deps, user, surface);
}

/** A clock the test moves by hand. */
export function testDeps(
  db: Db,
  start = new Date('2026-11-23T08:00:00Z'),
): AppDeps & { advance(ms: number): void } {
  let now = start.getTime();
  return {
    store: createStore(db),
    now: () => new Date(now),
    config: {
      consentExpireAfterMs: 30 * 24 * 3600 * 1000,
      keepDeliveredMs: 90 * 24 * 3600 * 1000,
      // In the run's scratch folder, removed with it: no export a test leaves stays on the machine.
      exportDir: join(inject('testScratch'), `exports-${process.pid}`),
      defaultTimeZone: 'UTC',
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A database of its own holding the small inventory, and services whose clock the test moves. */
export async function seededDatabase(
  driver: Driver,
  extraLicenses = 0,
): Promise<{ database: TestDatabase; deps: ReturnType<typeof testDeps> }> {
  const database = await createTestDatabase(driver);
  await seedWorld(database.db, extraLicenses);
  return { database, deps: testDeps(database.db) };
}

/** A seeded database and one person acting in it, as a suite uses them. */
export interface SeededSuite {
  database: TestDatabase;
  deps: ReturnType<typeof testDeps>;
  actor: Actor;
}

/**
 * Seeds a database for the suite (`fresh: 'each'`: one for each test) with `name` acting on `surface`,
 * and drops it afterwards. The object is filled in once the suite runs: read it in tests and hooks.
 */
export function useSeeded(
  driver: Driver,
  name: Name,
  surface: Surface,
  fresh: 'each' | 'once' = 'once',
): SeededSuite {
  const suite = {} as SeededSuite;
  const [before, after] = fresh === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    Object.assign(suite, await seededDatabase(driver));
    suite.actor = await actorIn(suite.deps, name, surface);
  });
  after(() => suite.database.dispose());
  return suite;
}
