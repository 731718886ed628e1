import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importFile } from '../../adapters/cli/commands.js';
import { consents, outbox } from '../../db/schema.js';
import { consentTransfer } from '../../src/app/actions.js';
import { loadTransferView } from '../../src/app/views.js';
import { tr } from '../../src/i18n/index.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { actor, EMAILS, seededDatabase, type testDeps } from '../support/world.js';

/**
 * An inventory update takes away the role a consent needs (the transferee no longer administers the
 * destination; no transferor asked administers the source): nobody asked can answer any more, and the
 * transfer is cancelled at the import, saying who can no longer consent, rather than held with its
 * assets until the deadline while its reminders go to people who cannot act.
 */
describe.each(drivers)('a consent the inventory takes away (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let dir: string;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    dir = mkdtempSync(join(inject('testScratch'), 'consent-lost-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  });

  const NAMES: Record<string, string> = {
    [EMAILS.alice]: 'Alice Martin',
    [EMAILS.bob]: 'Bob Peeters',
    [EMAILS.carol]: 'Carol Durand',
  };
  /** An inventory file that gives these people these roles on the accounts it names, and changes nothing else. */
  const rolesFile = (name: string, people: Record<string, { smartAccount: string; role: string }[]>) => {
    const path = join(dir, name);
    const users = Object.entries(people).map(([email, roles]) => ({ email, name: NAMES[email], roles }));
    writeFileSync(path, JSON.stringify({ users }));
    return path;
  };

  it('cancels a transfer whose transferee no longer administers the destination, and tells everyone why', async () => {
    const id = await awaitingConsent(deps, 'SO:104-1');
    const untouched = await awaitingConsent(deps, 'SO:105-1', { transferee: 'paul' });
    const said = await importFile(
      deps,
      rolesFile('bob-user.json', { [EMAILS.bob]: [{ smartAccount: 'be.example', role: 'user' }] }),
    );
    expect(said).toContain(
      `cancelled, as a consent they wait for can no longer be given (its role was taken away): ${id}`,
    );
    expect(said).not.toContain(untouched);
    expect(await statusOf(database.db, id)).toBe('cancelled');
    expect(await statusOf(database.db, untouched)).toBe('awaiting_consent');

    const alice = await actor(database.db, 'alice');
    const view = await loadTransferView(deps, id, alice);
    expect(tr({ locale: 'en', timeZone: 'UTC' }, view!.cancelReason!)).toBe(
      `Bob Peeters (transferee) can no longer consent: they are no longer an administrator of that Smart Account.`,
    );
    // The import's cancellation is the bot's own: by the system, not by whoever ran the import.
    expect(
      (await historyOf(database.db, id, 'consent.lost')).map((h) => [
        h.fromStatus,
        h.toStatus,
        h.actor,
        h.surface,
      ]),
    ).toEqual([['awaiting_consent', 'cancelled', 'system', 'system']]);
    // The requester and the transferee are told, and the consent card is redrawn without its buttons.
    const queued = (await database.db.select().from(outbox)).filter((r) => r.payload.transferId === id);
    expect(queued.some((r) => r.payload.type === 'message' && r.recipientUserId === alice.userId)).toBe(true);
    expect(queued.some((r) => r.payload.type === 'card_refresh')).toBe(true);
    // Bob's consent is left unanswered, and can no longer be given.
    const [asked] = await database.db.select().from(consents).where(eq(consents.transferId, id));
    expect(asked?.decision).toBeNull();
    const bob = await actor(database.db, 'bob');
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(false);

    // Importing the same file again cancels nothing more.
    expect(await importFile(deps, join(dir, 'bob-user.json'))).not.toContain('cancelled');
  });

  it('waits while one transferor asked still may answer, and cancels once none may', async () => {
    // Paul, a partner, asks Alice and Carol (the source's own administrators) for the transferor's consent,
    // and Bob, an administrator of the destination again, for the transferee's.
    await importFile(
      deps,
      rolesFile('bob-again.json', { [EMAILS.bob]: [{ smartAccount: 'be.example', role: 'admin' }] }),
    );
    const id = await awaitingConsent(deps, 'SO:100-1', { requester: 'paul', transferee: 'bob' });
    const carolGone = await importFile(
      deps,
      rolesFile('carol-user.json', { [EMAILS.carol]: [{ smartAccount: 'fr-a.example', role: 'user' }] }),
    );
    expect(carolGone).not.toContain(id);
    expect(await statusOf(database.db, id)).toBe('awaiting_consent');

    const bothGone = await importFile(
      deps,
      rolesFile('alice-user.json', {
        [EMAILS.alice]: [
          { smartAccount: 'fr-a.example', role: 'user' },
          { smartAccount: 'fr-b.example', role: 'admin' },
          { smartAccount: 'be.example', role: 'admin' },
        ],
      }),
    );
    expect(bothGone).toContain(id);
    expect(await statusOf(database.db, id)).toBe('cancelled');
    const paul = await actor(database.db, 'paul');
    const view = await loadTransferView(deps, id, paul);
    const why = tr({ locale: 'en', timeZone: 'UTC' }, view!.cancelReason!);
    expect(why).toContain('Alice Martin');
    expect(why).toContain('Carol Durand');
    expect(why).toContain('(transferor) can no longer consent');
  });
});
