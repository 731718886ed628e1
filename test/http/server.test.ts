import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen, type Listening } from '../../adapters/http/server.js';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/schema.js';
import { countOutboxWith } from '../../src/app/metrics.js';
import { requestTransfer } from '../../src/app/request.js';
import { msg } from '../../src/i18n/msg.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

describe('health and metrics over HTTP', () => {
  let database: TestDatabase;
  let server: Listening;
  let up = true;
  const base = () => `http://127.0.0.1:${server.port}`;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
    server = await listen(createHttpApp({ ping: async () => up && database.ping() }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    // The next file in this worker reads no depth from this file's database.
    countOutboxWith(undefined);
    await server.close();
    await database.dispose();
  });

  it('answers 200 { ok: true } while the database answers, 503 when it does not', async () => {
    const ok = await fetch(`${base()}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    up = false;
    const down = await fetch(`${base()}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ok: false });
    up = true;
  });

  it('serves Prometheus text that counts status changes', async () => {
    const alice = await actor(database.db, 'alice');
    const result = await requestTransfer(testDeps(database.db), alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:105-1')!],
      sameCompany: true,
    });
    expect(result.ok).toBe(true);
    const res = await fetch(`${base()}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/transfer_bot_transitions_total\{status="pending_submission"\} [1-9]/);
    expect(text).toContain('transfer_bot_requests_total');
  });

  it('counts the messages waiting in the outbox when the metrics are read', async () => {
    const deps = testDeps(database.db);
    countOutboxWith(() => deps.store.outbox.pendingCount());
    const depth = async () => {
      const text = await (await fetch(`${base()}/metrics`)).text();
      return Number(/^transfer_bot_outbox_depth (\d+)$/m.exec(text)?.[1]);
    };
    const before = await depth();
    const alice = await actor(database.db, 'alice');
    await deps.store.outbox.enqueue(deps.now(), [
      {
        dedupeKey: 'test:waiting',
        recipientUserId: alice.userId,
        payload: {
          type: 'message',
          text: msg('core:reply.statusNow', { id: 'X', status: 'submitted' }),
          lines: [],
        },
      },
    ]);
    expect(await depth()).toBe(before + 1);
    const pending = await database.db.select().from(outbox).where(eq(outbox.state, 'pending'));
    expect(await depth()).toBe(pending.length);
  });
});
