import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTransfer } from '../../src/app/request.js';
import { submitTransfer } from '../../src/app/actions.js';
import { drivers } from '../support/db.js';
import { startTeamsWorld, teamsUser, type TeamsWorld } from '../support/teams.js';
import { historyOf, toBelgium } from '../support/transfers.js';
import { actor, EMAILS } from '../support/world.js';

const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol);

describe.each(drivers)('Teams under a replay flood (%s)', (driver) => {
  let world: TeamsWorld;
  let id = '';

  beforeAll(async () => {
    world = await startTeamsWorld(driver, [bob, carol]);
    const alice = await actor(world.database.db, 'alice', 'slack');
    const requested = await requestTransfer(world.deps, alice, toBelgium('SO:100-1', 'Brussels'));
    if (!requested.ok) throw new Error('request refused');
    id = requested.value.state.id;
    await submitTransfer(world.deps, alice, id);
  });
  afterAll(() => world?.close());

  /** The same activity (same id) posted `times` times over ten connections at once. */
  async function replay(activity: object, times: number): Promise<number[]> {
    const statuses: number[] = [];
    let sent = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (sent < times) {
          sent += 1;
          statuses.push((await world.teams.post(activity)).status);
        }
      }),
    );
    return statuses;
  }

  it('one Approve replayed 100 times: one decision, nothing refused on record', async () => {
    const first = await world.teams.execute(bob, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferee',
    });
    expect(first.status).toBe(200);
    const statuses = await replay(first.activity, 100);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const rows = await historyOf(world.database.db, id);
    expect(rows.filter((r) => r.action === 'consent.approve')).toHaveLength(1);
    expect(rows.filter((r) => r.action.startsWith('refused.'))).toHaveLength(0);
  });

  it('a refused click replayed 100 times: one refusal on record', async () => {
    const first = await world.teams.execute(carol, 'compliance_approve', {
      transactionId: id,
      decision: 'compliance',
    });
    expect(first.status).toBe(200);
    await replay(first.activity, 100);
    const refused = (await historyOf(world.database.db, id)).filter((r) => r.action.startsWith('refused.'));
    expect(refused.map((r) => r.actor)).toEqual([EMAILS.carol]);
  });
});
