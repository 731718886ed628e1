import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { consoleSession } from '../support/journeys.js';
import { seedWorld } from '../support/world.js';

describe('a bot admin at the console grants a role', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database.dispose());

  it('makes Bob admin of fr-a.example, says so in the bot admin’s language, and Bob then sees the account', async () => {
    const before = await consoleSession(database.db, 'bob', ['accounts']);
    expect(before).not.toContain('fr-a.example');

    // Ada reads French.
    const out = await consoleSession(database.db, 'ada', [
      'help grant',
      'grant bob@be.example admin fr-a.example',
    ]);
    expect(out).toContain('grant EMAIL admin|user SA');
    expect(out).toContain(translate('fr', 'grammar:help.grant'));
    expect(out).toContain(
      'Bob Peeters (bob@be.example) a désormais le rôle «\u00a0Administrateur du compte Smart\u00a0» sur Lumière Lyon (fr-a.example).',
    );

    const after = await consoleSession(database.db, 'bob', ['accounts', 'assets fr-a.example']);
    expect(after).toContain('fr-a.example');
    expect(after).toContain('SO:100-1');
  });

  it('refuses anyone else, in their language', async () => {
    const out = await consoleSession(database.db, 'carol', ['revoke bob@be.example admin fr-a.example']);
    expect(out).toContain(translate('fr', 'core:refusal.notBotAdmin'));
  });
});
