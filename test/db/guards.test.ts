import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { canMove, TRANSITIONS, STATUSES, type Status } from '../../src/domain/status.js';
import { pgErrorCode, rowsOf } from '../../db/client.js';
import { history, licenses, transferItems, transfers, users, virtualAccounts } from '../../db/schema.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { seedWorld } from '../support/world.js';

/** The PostgreSQL error code a statement fails with, or 'ok' when it succeeds. */
async function outcomeOf(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
    return 'ok';
  } catch (err) {
    return pgErrorCode(err) ?? `no code: ${(err as Error).message}`;
  }
}

describe.each(drivers)('database guards (%s)', (driver) => {
  let database: TestDatabase;
  let ids: { requester: number; source: number; destination: number; destinationVa: number; license: number };
  let seq = 0;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    const [alice] = await database.db.select().from(users).where(eq(users.email, 'alice@fr.example'));
    const [lic] = await database.db.select().from(licenses).where(eq(licenses.salesOrder, '105'));
    const vas = await database.db.select().from(virtualAccounts);
    const destinationVa = vas.find((v) => v.smartAccountId !== lic!.smartAccountId)!;
    ids = {
      requester: alice!.id,
      source: lic!.smartAccountId,
      destination: destinationVa.smartAccountId,
      destinationVa: destinationVa.id,
      license: lic!.id,
    };
  });
  afterAll(() => database.dispose());

  /** A transfer row written straight into the table, as a buggy script or a hand-typed query would. */
  async function insertTransfer(status: Status): Promise<string> {
    const id = `AT-GUARD${String(++seq).padStart(3, '0')}`;
    const at = new Date('2026-11-23T08:00:00Z');
    await database.db.insert(transfers).values({
      id,
      status,
      requesterId: ids.requester,
      sourceSmartAccountId: ids.source,
      destinationSmartAccountId: ids.destination,
      destinationVirtualAccountId: ids.destinationVa,
      sameCompanyAnswer: false,
      sameLegalEntity: false,
      surface: 'cli',
      createdAt: at,
      updatedAt: at,
    });
    return id;
  }

  const setStatus = (id: string, to: Status) =>
    database.db.execute(sql`update transfers set status = ${to} where id = ${id}`);

  it('knows exactly the status changes the domain allows', async () => {
    const rows = rowsOf<{ from_status: string; to_status: string }>(
      await database.db.execute(sql`select from_status, to_status from status_transitions order by 1, 2`),
    );
    const fromDb = rows.map((r) => `${r.from_status}>${r.to_status}`).sort();
    const fromDomain = STATUSES.flatMap((f) => TRANSITIONS[f].map((t) => `${f}>${t}`)).sort();
    expect(fromDb).toEqual(fromDomain);
  });

  it('refuses a completed transfer being reopened by raw SQL, and leaves it completed', async () => {
    const id = await insertTransfer('transfer_completed');
    expect(await outcomeOf(setStatus(id, 'pending_submission'))).toBe('23514');
    const [row] = await database.db
      .select({ status: transfers.status })
      .from(transfers)
      .where(eq(transfers.id, id));
    expect(row?.status).toBe('transfer_completed');
  });

  it('refuses every status change the domain forbids and accepts every one it allows', async () => {
    const verdicts: string[] = [];
    const expected: string[] = [];
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (from === to) continue;
        const id = await insertTransfer(from);
        const result = await outcomeOf(setStatus(id, to));
        verdicts.push(`${from}>${to}:${result}`);
        expected.push(`${from}>${to}:${canMove(from, to) ? 'ok' : '23514'}`);
      }
    }
    expect(verdicts).toEqual(expected);
  });

  it('refuses a skipped step even inside a larger update', async () => {
    const id = await insertTransfer('pending_submission');
    // Straight to the transfer, without passing through `submitted`.
    expect(
      await outcomeOf(
        database.db
          .update(transfers)
          .set({ status: 'transfer_initiated', version: 9 })
          .where(eq(transfers.id, id)),
      ),
    ).toBe('23514');
    const [row] = await database.db.select().from(transfers).where(eq(transfers.id, id));
    expect([row?.status, row?.version]).toEqual(['pending_submission', 0]);
  });

  it('refuses a second open item for one asset, and allows it once the first is closed', async () => {
    const first = await insertTransfer('pending_submission');
    const second = await insertTransfer('pending_submission');
    const item = (transferId: string) => ({
      transferId,
      kind: 'license' as const,
      licenseId: ids.license,
      assetKey: `license:${ids.license}`,
      ref: 'SO:105-1',
    });
    expect(await outcomeOf(database.db.insert(transferItems).values(item(first)))).toBe('ok');
    expect(await outcomeOf(database.db.insert(transferItems).values(item(second)))).toBe('23505');
    // Raw SQL is held to the same rule, including reopening a closed item.
    expect(
      await outcomeOf(
        database.db.execute(
          sql`insert into transfer_items (transfer_id, kind, license_id, asset_key, ref) values (${second}, 'license', ${ids.license}, ${`license:${ids.license}`}, 'SO:105-1')`,
        ),
      ),
    ).toBe('23505');

    await database.db.update(transferItems).set({ open: false }).where(eq(transferItems.transferId, first));
    expect(await outcomeOf(database.db.insert(transferItems).values(item(second)))).toBe('ok');
    expect(
      await outcomeOf(
        database.db.update(transferItems).set({ open: true }).where(eq(transferItems.transferId, first)),
      ),
    ).toBe('23505');
    const open = await database.db
      .select()
      .from(transferItems)
      .where(eq(transferItems.assetKey, `license:${ids.license}`));
    expect(open.map((i) => [i.transferId, i.open])).toEqual([
      [first, false],
      [second, true],
    ]);
  });

  it('keeps history append-only: no UPDATE, no DELETE, by the query builder or raw SQL', async () => {
    const id = await insertTransfer('pending_submission');
    await database.db.insert(history).values({
      transferId: id,
      at: new Date('2026-11-23T08:00:00Z'),
      actor: 'alice@fr.example',
      surface: 'cli',
      action: 'request',
      toStatus: 'validation_initiated',
    });
    expect(
      await outcomeOf(
        database.db.update(history).set({ actor: 'someone else' }).where(eq(history.transferId, id)),
      ),
    ).toBe('42501');
    expect(await outcomeOf(database.db.delete(history).where(eq(history.transferId, id)))).toBe('42501');
    expect(await outcomeOf(database.db.execute(sql`update history set reason = 'rewritten'`))).toBe('42501');
    expect(await outcomeOf(database.db.execute(sql`delete from history`))).toBe('42501');
    const rows = await database.db.select().from(history).where(eq(history.transferId, id));
    expect(rows.map((r) => [r.actor, r.reason])).toEqual([['alice@fr.example', null]]);
  });

  it('refuses TRUNCATE of history, directly or by cascade from a table it references, and keeps every row', async () => {
    const id = await insertTransfer('pending_submission');
    await database.db.insert(history).values({
      transferId: id,
      at: new Date('2026-11-23T08:00:00Z'),
      actorId: ids.requester,
      actor: 'alice@fr.example',
      surface: 'cli',
      action: 'request',
      toStatus: 'validation_initiated',
    });
    const before = await database.db.select().from(history).orderBy(history.id);
    expect(before.length).toBeGreaterThan(0);

    expect(await outcomeOf(database.db.execute(sql`truncate history`))).toBe('42501');
    expect(await outcomeOf(database.db.execute(sql`truncate table history restart identity cascade`))).toBe(
      '42501',
    );
    // history.actor_id references users, so truncating users with CASCADE would empty history too.
    expect(await outcomeOf(database.db.execute(sql`truncate users cascade`))).toBe('42501');

    expect(await database.db.select().from(history).orderBy(history.id)).toEqual(before);
    const [alice] = await database.db.select().from(users).where(eq(users.id, ids.requester));
    expect(alice?.email).toBe('alice@fr.example');
  });
});
