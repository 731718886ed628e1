import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importFile } from '../../adapters/cli/commands.js';
import { consents, outbox } from '../../db/schema.js';
import { consentTransfer } from '../../src/app/actions.js';
import { renderReply as consoleReply } from '../../adapters/console/render.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
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
const READER = { locale: 'en', timeZone: 'UTC' } as const;

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
    // Alice still may answer: the history says, once, that Carol can no longer, as the import's doing,
    // her card is redrawn (hers alone), and the JSON and `show` say she cannot answer.
    const carol = await actor(database.db, 'carol');
    const told = await historyOf(database.db, id, 'consent.cannotAnswer');
    expect(told.map((h) => [h.actor, h.surface, h.reason])).toEqual([
      [
        'import',
        'cli',
        'Carol Durand (transferor) can no longer answer: since the inventory was imported, they are no longer an administrator of that Smart Account. The others asked still can.',
      ],
    ]);
    const refreshed = (await database.db.select().from(outbox)).filter(
      (r) => r.payload.transferId === id && r.payload.type === 'card_refresh',
    );
    expect(refreshed.map((r) => r.payload.onlyFor)).toEqual([[carol.userId]]);
    const json = transferJson((await loadTransferView(deps, id, null))!).consents as {
      email: string;
      canAnswer: boolean | null;
    }[];
    expect(json.map((c) => [c.email, c.canAnswer])).toEqual([
      [EMAILS.bob, true],
      [EMAILS.alice, true],
      [EMAILS.carol, false],
    ]);
    const shown = consoleReply(READER, { kind: 'transfer', view: (await loadTransferView(deps, id, null))! });
    expect(shown.text).toMatch(/Transferor \(Carol Durand\): Can no longer answer/);
    // The same file again tells nothing more.
    await importFile(deps, join(dir, 'carol-user.json'));
    expect(await historyOf(database.db, id, 'consent.cannotAnswer')).toHaveLength(1);

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

  it('says when one asked can answer again, their role back before the transfer moved on', async () => {
    const carolAs = (role: string) =>
      rolesFile('carol-roles.json', { [EMAILS.carol]: [{ smartAccount: 'fr-a.example', role }] });
    // Alice and Carol, administrators of the source again, are both asked.
    await importFile(
      deps,
      rolesFile('alice-back.json', { [EMAILS.alice]: [{ smartAccount: 'fr-a.example', role: 'admin' }] }),
    );
    await importFile(deps, carolAs('admin'));
    const id = await awaitingConsent(deps, 'SO:100-2', { requester: 'paul', transferee: 'bob' });
    await importFile(deps, carolAs('user'));
    expect(await historyOf(database.db, id, 'consent.cannotAnswer')).toHaveLength(1);
    await importFile(deps, carolAs('admin'));
    const again = await historyOf(database.db, id, 'consent.canAnswer');
    expect(again.map((h) => [h.actor, h.reason])).toEqual([
      [
        'import',
        'Carol Durand (transferor) can answer again: since the inventory was imported, they are an administrator of that Smart Account again.',
      ],
    ]);
    const carol = await actor(database.db, 'carol');
    expect((await consentTransfer(deps, carol, id, 'approve')).ok).toBe(true);
  });
});
