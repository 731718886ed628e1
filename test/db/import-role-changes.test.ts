import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, gte, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../db/client.js';
import * as schema from '../../db/schema.js';
import { importInventoryFile } from '../../src/app/inventory.js';
import { changeRole } from '../../src/app/roles.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { actorIn, EMAILS, seededDatabase, testDeps } from '../support/world.js';

/**
 * An import that gives or takes away roles — a role granted in chat too — records each change as a grant or
 * a revocation in chat does, by the import, and tells each person once, in the import's own transaction.
 * People it creates start with their roles: no change. A file that changes nothing records nothing.
 */
describe.each(drivers)('roles an inventory import changes (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let db: Db;
  let dir: string;
  let path: string;
  const ids: Record<string, number> = {};

  // Bob becomes a user of be.example (he was its admin) and loses compliance, which Ada gave him in chat;
  // Cora gains licensing operations; Paul loses be.example (named by Bob's roles), Carol fr-a.example (named
  // by Paul's); Olga keeps what she has; Zoe is new.
  const file = {
    users: [
      {
        email: EMAILS.bob,
        name: 'Bob Peeters',
        roles: [{ smartAccount: 'be.example', role: 'user' }],
        globalRoles: [],
      },
      { email: EMAILS.cora, name: 'Cora Compliance', globalRoles: ['licensing_ops', 'compliance'] },
      { email: EMAILS.paul, name: 'Paul Partner', roles: [{ smartAccount: 'fr-a.example', role: 'admin' }] },
      { email: EMAILS.carol, name: 'Carol Durand', roles: [] },
      { email: EMAILS.olga, name: 'Olga Ops', globalRoles: ['licensing_ops'] },
      {
        email: 'zoe@new.example',
        name: 'Zoe New',
        roles: [{ smartAccount: 'fr-b.example', role: 'admin' }],
        globalRoles: ['compliance'],
      },
    ],
  };

  const importRows = () =>
    db
      .select()
      .from(schema.history)
      .where(and(isNull(schema.history.transferId), eq(schema.history.actor, 'import')));
  const outboxSince = (id: number) => db.select().from(schema.outbox).where(gte(schema.outbox.id, id));
  const nextOutboxId = async () =>
    ((await db.select({ id: schema.outbox.id }).from(schema.outbox))
      .map((r) => r.id)
      .sort((a, b) => b - a)[0] ?? 0) + 1;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    db = database.db;
    dir = mkdtempSync(join(inject('testScratch'), 'import-roles-'));
    path = join(dir, 'roles.json');
    writeFileSync(path, JSON.stringify(file));
    for (const user of await db.select().from(schema.users)) ids[user.email] = user.id;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  });

  it('records each role given and taken away as done by the import, and tells each person once', async () => {
    const ada = await actorIn(deps, 'ada');
    const granted = await changeRole(deps, ada, 'grant', { email: EMAILS.bob, role: 'compliance' });
    expect(granted.ok).toBe(true);
    deps.advance(60_000);
    const from = await nextOutboxId();

    const result = await importInventoryFile(deps, path);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const at = deps.now();

    // Per person, in e-mail order, what they gained and lost.
    expect(
      result.rolesChanged.map((p) => ({ email: p.person.email, gained: p.gained, lost: p.lost })),
    ).toEqual([
      {
        email: EMAILS.bob,
        gained: [{ role: 'user', account: { domain: 'be.example', name: 'Lumière Belgique' } }],
        lost: [
          { role: 'compliance' },
          { role: 'admin', account: { domain: 'be.example', name: 'Lumière Belgique' } },
        ],
      },
      {
        email: EMAILS.carol,
        gained: [],
        lost: [{ role: 'admin', account: { domain: 'fr-a.example', name: 'Lumière Lyon' } }],
      },
      { email: EMAILS.cora, gained: [{ role: 'licensing_ops' }], lost: [] },
      {
        email: EMAILS.paul,
        gained: [],
        lost: [{ role: 'admin', account: { domain: 'be.example', name: 'Lumière Belgique' } }],
      },
    ]);

    // The history: the rows `grant` and `revoke` write in chat, with the import as the actor.
    const rows = await importRows();
    expect(
      rows.every((r) => r.actorId === null && r.surface === 'cli' && r.at.getTime() === at.getTime()),
    ).toBe(true);
    const recorded = rows.map((r) => ({ action: r.action, ...r.details }));
    expect(recorded).toHaveLength(5);
    expect(recorded).toEqual(
      expect.arrayContaining([
        {
          action: 'role.grant',
          person: EMAILS.bob,
          role: 'user',
          smartAccount: 'be.example',
          previous: 'admin',
        },
        { action: 'role.revoke', person: EMAILS.bob, role: 'compliance' },
        { action: 'role.revoke', person: EMAILS.carol, role: 'admin', smartAccount: 'fr-a.example' },
        { action: 'role.grant', person: EMAILS.cora, role: 'licensing_ops' },
        { action: 'role.revoke', person: EMAILS.paul, role: 'admin', smartAccount: 'be.example' },
      ]),
    );

    // One message to each of the four, listing their changes; none to Olga, or to Zoe, who is new.
    const told = await outboxSince(from);
    expect(told.map((m) => m.recipientUserId).sort()).toEqual(
      [EMAILS.bob, EMAILS.carol, EMAILS.cora, EMAILS.paul].map((e) => ids[e]).sort(),
    );
    const toBob = told.find((m) => m.recipientUserId === ids[EMAILS.bob])!;
    expect(toBob.payload.text).toEqual({ key: 'core:role.imported.title' });
    expect(toBob.payload.lines?.map((l) => l.key)).toEqual([
      'core:role.imported.revoked',
      'core:role.imported.replacedOn',
    ]);
  });

  it('records nothing and tells nobody when the file changes no role', async () => {
    deps.advance(60_000);
    const before = (await importRows()).length;
    const from = await nextOutboxId();
    const result = await importInventoryFile(deps, path);
    expect(result).toMatchObject({ ok: true, rolesChanged: [] });
    expect(await importRows()).toHaveLength(before);
    expect(await outboxSince(from)).toEqual([]);
  });
});
