import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, users } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import type { OutboxPayload } from '../../src/app/ports/outbox.js';
import { initI18n, translate } from '../../src/i18n/index.js';
import { drivers, type Driver, type TestDatabase } from '../support/db.js';
import { awaitingConsent, pendingSubmission, statusOf } from '../support/transfers.js';
import { actorIn, EMAILS, seededDatabase, type testDeps } from '../support/world.js';

type Message = OutboxPayload & { text: NonNullable<OutboxPayload['text']> };

describe.each(drivers)('a transfer of more than 500 items, on %s', { timeout: 120_000 }, (driver: Driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    initI18n();
    ({ database, deps } = await seededDatabase(driver, 600));
  });
  afterAll(() => database?.dispose());

  /** What the outbox holds for one person about one transfer, in the order it was written. */
  async function messagesTo(email: string, transferId: string): Promise<Message[]> {
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const rows = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.recipientUserId, user!.id))
      .orderBy(asc(outbox.id));
    return rows
      .map((r) => r.payload)
      .filter(
        (p): p is Message => p.type === 'message' && p.transferId === transferId && p.text !== undefined,
      );
  }

  it('tells its requester once, before the outcome, that it is being checked and moved', async () => {
    const id = await pendingSubmission(deps, 'SO:900');
    const submitted = await submitTransfer(deps, await actorIn(deps, 'alice'), id);
    expect(submitted.ok).toBe(true);
    expect(await statusOf(database.db, id)).toBe('transfer_completed');

    const messages = await messagesTo(EMAILS.alice, id);
    const progress = messages.filter((m) => m.text.key === 'core:notify.largeTransferRunning');
    expect(progress).toHaveLength(1);
    expect(translate('en', progress[0]!.text.key, progress[0]!.text.params)).toBe(
      `Transaction ${id}: checking and moving 600 items. This takes a moment; you will be told here when it is done.`,
    );
    expect(translate('fr', progress[0]!.text.key, progress[0]!.text.params)).toContain('600 éléments');
    // Written before the move, in a transaction of its own; the outcome follows once the move has committed.
    const running = messages.findIndex((m) => m.text.key === 'core:notify.largeTransferRunning');
    const outcome = messages.findIndex(
      (m) => m.text.key === 'core:notify.statusChanged' && m.text.params?.status === 'transfer_completed',
    );
    expect(outcome).toBeGreaterThan(running);
    expect(messages.at(-1)).toBe(messages[outcome]);
  });

  it('says nothing of the kind when the submit only asks for consent, or for a small transfer', async () => {
    const waiting = await awaitingConsent(deps, 'SO:100-1');
    const keys = (await messagesTo(EMAILS.alice, waiting)).map((m) => m.text.key);
    expect(keys).not.toContain('core:notify.largeTransferRunning');

    const small = await pendingSubmission(deps, 'SO:105-1');
    await submitTransfer(deps, await actorIn(deps, 'alice'), small);
    expect((await messagesTo(EMAILS.alice, small)).map((m) => m.text.key)).not.toContain(
      'core:notify.largeTransferRunning',
    );
  });
});
