import { and, asc, eq, isNull, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { history, outbox, users } from '../../db/schema.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import { listAccounts } from '../../src/app/queries.js';
import { tr } from '../../src/i18n/index.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, statusOf } from '../support/transfers.js';
import { actorIn, EMAILS, seededDatabase, type Name, type testDeps } from '../support/world.js';

/**
 * A bot admin grants and takes away roles from chat: the role changes with its history row and a message
 * to the person, in one transaction; anyone else is refused, and the refusal is on record.
 */
describe.each(drivers)('roles granted and taken away from chat (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  /** What `name` is answered, typing `line`, as they read it in English. */
  const type = async (name: Name, line: string): Promise<{ reply: Reply; text: string }> => {
    const parsed = parseCommand(line);
    if (!parsed.ok) throw new Error(`${line}: ${parsed.error.key}`);
    const reply = await dispatch(deps, await actorIn(deps, name, 'slack'), parsed.command);
    const message =
      reply.kind === 'done' ? reply.message : reply.kind === 'refused' ? reply.refusal.message : null;
    return { reply, text: message ? tr('en', message) : reply.kind };
  };
  const roleRows = () =>
    database.db
      .select()
      .from(history)
      .where(and(isNull(history.transferId), like(history.action, '%role.%')))
      .orderBy(asc(history.id));
  const messagesTo = async (name: Name) => {
    const person = await actorIn(deps, name);
    return database.db
      .select()
      .from(outbox)
      .where(eq(outbox.recipientUserId, person.userId))
      .orderBy(asc(outbox.id));
  };

  it('makes a person admin of a Smart Account: they see it at once, the history records it, and they are told', async () => {
    const bob = await actorIn(deps, 'bob');
    expect((await listAccounts(deps, bob)).map((a) => a.domain)).toEqual(['be.example']);

    const { reply, text } = await type('ada', 'grant bob@be.example admin fr-a.example');
    expect(reply.kind).toBe('done');
    expect(text).toBe(
      'Bob Peeters (bob@be.example) now has the role “Smart Account admin” on Lumière Lyon (fr-a.example).',
    );
    const after = await actorIn(deps, 'bob');
    expect((await listAccounts(deps, after)).map((a) => a.domain).sort()).toEqual([
      'be.example',
      'fr-a.example',
    ]);

    const ada = await actorIn(deps, 'ada');
    expect((await roleRows()).map((h) => [h.action, h.actorId, h.actor, h.surface, h.details])).toEqual([
      [
        'role.grant',
        ada.userId,
        EMAILS.ada,
        'slack',
        { person: EMAILS.bob, role: 'admin', smartAccount: 'fr-a.example' },
      ],
    ]);
    const [told] = await messagesTo('bob');
    expect(told?.payload.type).toBe('message');
    expect(tr('fr', told!.payload.text!)).toBe(
      'Ada Admin vous a attribué le rôle «\u00a0Administrateur du compte Smart\u00a0» sur Lumière Lyon (fr-a.example).',
    );
  });

  it('changes nothing, saying so, for a role already held or not held', async () => {
    const before = (await roleRows()).length;
    expect((await type('ada', 'grant bob@be.example admin fr-a.example')).text).toContain(
      'already has the role “Smart Account admin” on Lumière Lyon (fr-a.example); nothing was changed.',
    );
    expect((await type('ada', 'revoke bob@be.example compliance')).text).toBe(
      'Bob Peeters (bob@be.example) does not have the role “Compliance officer”; nothing was changed.',
    );
    expect(await roleRows()).toHaveLength(before);
  });

  it('refuses anyone but a bot admin, changing nothing, and records the refused attempt', async () => {
    const { reply, text } = await type('alice', 'grant carol@fr.example admin be.example');
    expect(reply).toMatchObject({ kind: 'refused', refusal: { code: 'forbidden' } });
    expect(text).toBe('Only a bot admin can grant or take away roles. Nothing was changed.');
    const carol = await actorIn(deps, 'carol');
    expect((await listAccounts(deps, carol)).map((a) => a.domain)).toEqual(['fr-a.example']);
    const refusals = (await roleRows()).filter((h) => h.action === 'refused.role.grant');
    expect(refusals.map((h) => [h.actor, h.reason])).toEqual([[EMAILS.alice, 'forbidden']]);
  });

  it('refuses an unknown person or Smart Account, naming it', async () => {
    expect((await type('ada', 'grant zoe@nowhere.example compliance')).text).toBe(
      'Nobody in the inventory has the e-mail address zoe@nowhere.example. Nothing was changed.',
    );
    expect((await type('ada', 'grant bob@be.example user nowhere.example')).text).toBe(
      'No Smart Account has the domain nowhere.example.',
    );
  });

  it('taking an admin role away cancels the transfer whose consent nobody asked can give any more', async () => {
    const id = await awaitingConsent(deps, 'SO:104-1');
    const { text } = await type('ada', 'revoke bob@be.example admin be.example');
    // The reply names the transfer the change ended, as `transfer-bot import` does.
    expect(text).toBe(
      `Bob Peeters (bob@be.example) no longer has the role “Smart Account admin” on Lumière Belgique (be.example). Transaction cancelled, as a consent it waited for can no longer be given: ${id}.`,
    );
    expect(await statusOf(database.db, id)).toBe('cancelled');
  });

  it('never takes away the last bot admin, and lets one go once there is another', async () => {
    const { text } = await type('ada', 'revoke ada@ops.example bot_admin');
    expect(text).toBe(
      'Ada Admin (ada@ops.example) is the last bot admin: without one, nobody could grant roles any more. Make someone else a bot admin first; nothing was changed.',
    );
    expect((await type('ada', 'grant olga@ops.example bot_admin')).text).toBe(
      'Olga Ops (olga@ops.example) now has the role “Bot admin”.',
    );
    // Two bot admins taking the role from each other at once: one of them stays.
    const [byAda, byOlga] = await Promise.all([
      type('ada', 'revoke olga@ops.example bot_admin'),
      type('olga', 'revoke ada@ops.example bot_admin'),
    ]);
    expect([byAda.reply.kind, byOlga.reply.kind].sort()).toEqual(['done', 'refused']);
    const holders = await database.db.select({ email: users.email, roles: users.globalRoles }).from(users);
    expect(holders.filter((u) => u.roles.includes('bot_admin'))).toHaveLength(1);
    // Olga keeps licensing operations whichever way it went.
    expect(holders.find((u) => u.email === EMAILS.olga)?.roles).toContain('licensing_ops');
  });
});
