/**
 * Run by test/db/connection-lost.test.ts in a process of its own, so that a driver fault that ends the
 * process is seen as such: on the database at argv[2], a transaction's connection is terminated by the
 * server while its statement runs; then the pool is used again. Prints what happened as one JSON line.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, rowsOf } from '../../db/client.js';

const url = process.argv[2]!;
const database = await openDatabase({ databaseUrl: url, max: 1 });
const killer = postgres(url, { max: 1, onnotice: () => undefined });
let pid: number | undefined;
// Its outcome is taken at once: the transaction may fail before the killer's own answer arrives, and a
// failure nobody was waiting for yet would end this process as unhandled (the test's fault, not the driver's).
const transaction = database.db
  .transaction(async (tx) => {
    pid = rowsOf<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`))[0]!.pid;
    await tx.execute(sql`select pg_sleep(5)`);
  })
  .then(
    () => 'committed',
    (err: unknown) => `failed: ${String((err as { code?: string }).code ?? (err as Error).message)}`,
  );
while (pid === undefined) await new Promise((r) => setTimeout(r, 20));
await killer`select pg_terminate_backend(${pid})`;
const outcome = await transaction;
// Right after the loss a statement may still meet the closed connection; the pool then opens a new one.
const later: string[] = [];
for (let i = 0; i < 3; i++) {
  later.push(
    await database.db.execute(sql`select 1`).then(
      () => 'ok',
      (err: unknown) => `failed: ${(err as Error).message}`,
    ),
  );
}
const again = await database.db
  .transaction(async (tx) => tx.execute(sql`select 1`))
  .then(
    () => 'committed',
    (err: unknown) => `failed: ${(err as Error).message}`,
  );
await killer.end();
await database.close();
process.stdout.write(`${JSON.stringify({ outcome, later, again })}\n`);
