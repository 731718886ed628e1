/**
 * Run by test/db/connection-lost.test.ts in a process of its own, so that a driver fault that ends the
 * process is seen as such: on the database at argv[2], every statement is cancelled after 1 ms, so a new
 * connection's first statement (the driver's own query for the server's array types) fails. Then the
 * pool is used again, without the timeout. Prints what happened as one JSON line.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';

const url = new URL(process.argv[2]!);
url.searchParams.set('statement_timeout', '1');
const database = await openDatabase({ databaseUrl: url.toString(), max: 1 });
const run = (statement: ReturnType<typeof sql>) =>
  database.db.execute(statement).then(
    () => 'ok',
    (err: unknown) => `failed: ${(err as Error).message.split('\n')[0]}`,
  );
// The statement that opened the connection may hear of the failure; then the timeout is lifted (a few
// tries: on a busy machine even a SET can outlast 1 ms), and the pool goes on.
const seen: string[] = [await run(sql`select 1`)];
let lifted = 'not tried';
for (let i = 0; i < 20 && lifted !== 'ok'; i++) lifted = await run(sql`set statement_timeout = 0`);
seen.push(lifted, await run(sql`select 1`));
await database.close();
process.stdout.write(`${JSON.stringify({ seen })}\n`);
