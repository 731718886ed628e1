import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelTransfer } from '../../src/app/actions.js';
import { dispatch } from '../../src/app/dispatch.js';
import { transferPage } from '../../src/app/queries.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { toParis } from '../support/transfers.js';
import { actor, actorIn, seededDatabase, type testDeps } from '../support/world.js';

/** The landing page comes in pages, newest first, on every surface: no surface draws every row. */
describe.each(drivers)('landing page in pages (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    const alice = await actorIn(deps, 'alice');
    let clock = Date.parse('2026-11-01T08:00:00Z');
    // Thirteen transactions a minute apart; each cancelled so the same license can be asked again.
    for (let i = 0; i < 13; i++) {
      const at = new Date((clock += 60_000));
      const timed = { ...deps, now: () => at };
      const requested = await requestTransfer(timed, alice, toParis('SO:100-1'));
      if (!requested.ok) throw new Error(requested.refusal.message.key);
      ids.unshift(requested.value.state.id);
      const cancelled = await cancelTransfer(timed, alice, requested.value.state.id);
      if (!cancelled.ok) throw new Error(cancelled.refusal.message.key);
    }
  });
  afterAll(() => database.dispose());

  it('walks older pages to the end and back through newer ones, each row once', async () => {
    const alice = await actor(database.db, 'alice');
    const filter = { smartAccount: 'fr-a.example' };
    const first = await transferPage(deps, alice, filter, 5);
    if (!first.ok) throw new Error('refused');
    expect(first.value.rows.map((r) => r.id)).toEqual(ids.slice(0, 5));
    expect(first.value.newer).toBeUndefined();

    const second = await transferPage(deps, alice, { ...filter, before: first.value.older }, 5);
    const third = await transferPage(
      deps,
      alice,
      { ...filter, before: second.ok ? second.value.older : '' },
      5,
    );
    if (!second.ok || !third.ok) throw new Error('refused');
    expect(second.value.rows.map((r) => r.id)).toEqual(ids.slice(5, 10));
    expect(third.value.rows.map((r) => r.id)).toEqual(ids.slice(10, 13));
    expect(third.value.older).toBeUndefined();

    // Back: the page newer than the third is the second again.
    const back = await transferPage(deps, alice, { ...filter, after: third.value.newer }, 5);
    expect(back.ok && back.value.rows.map((r) => r.id)).toEqual(ids.slice(5, 10));
    expect(back.ok && back.value.older).toBe(second.value.older);
  });

  it('answers the typed list with the commands of its neighbouring pages, status kept', async () => {
    const alice = await actor(database.db, 'alice');
    const parsed = parseCommand(`list fr-a.example status:cancelled before:${ids[0]}`);
    if (!parsed.ok) throw new Error('not parsed');
    const reply = await dispatch(deps, alice, parsed.command);
    if (reply.kind !== 'transfers') throw new Error(reply.kind);
    expect(reply.rows.map((r) => r.id)).toEqual(ids.slice(1, 13));
    expect(reply.newer).toBe(ids[1]);
    expect(reply.older).toBeUndefined();
  });

  it('refuses a page next to a transaction that does not exist, and next to one the reader may not see, alike', async () => {
    const alice = await actor(database.db, 'alice');
    const page = await transferPage(deps, alice, { before: 'AT-ZZZZZZZZ' });
    expect(!page.ok && page.refusal).toEqual({
      code: 'not_found',
      message: { key: 'core:refusal.notFound', params: { id: 'AT-ZZZZZZZZ' } },
    });
    // Eve sees none of these: a page next to one is refused as if it did not exist.
    const eve = await actor(database.db, 'eve');
    const hidden = await transferPage(deps, eve, { before: ids[0] });
    expect(!hidden.ok && hidden.refusal).toEqual({
      code: 'not_found',
      message: { key: 'core:refusal.notFound', params: { id: ids[0] } },
    });
  });
});
