import { openDatabase, type Database, type OpenOptions } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { seedWorld } from './world.js';

/**
 * A seeded PostgreSQL database reached two ways: `direct`, as the test reads it, and through a TCP proxy
 * the test can cut, as the bot reaches it (`proxied`, a pool, or `proxiedUrl` for a process of its own).
 */
export interface ProxiedDatabase {
  direct: TestDatabase;
  proxy: TcpProxy;
  proxied: Database;
  proxiedUrl: string;
  close(): Promise<void>;
}

/** `deadlines`: the proxied pool's own (shorter ones keep a test of a stalled network short). */
export async function startProxiedDatabase(
  deadlines: Pick<OpenOptions, 'answerDeadlineMs' | 'connectDeadlineMs'> = {},
): Promise<ProxiedDatabase> {
  const direct = await createTestDatabase('postgres');
  await seedWorld(direct.db);
  const target = new URL(direct.url!);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const through = new URL(direct.url!);
  through.hostname = '127.0.0.1';
  through.port = String(proxy.port);
  const proxied = await openDatabase({ databaseUrl: through.toString(), max: 10, ...deadlines });
  return {
    direct,
    proxy,
    proxied,
    proxiedUrl: through.toString(),
    async close() {
      await proxy.restore();
      await proxied.close().catch(() => undefined);
      await direct.dispose();
      await proxy.close();
    },
  };
}
