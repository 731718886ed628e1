import { roleGrants, smartAccounts, users, virtualAccounts } from '../../db/schema.js';
import type { TestDatabase } from './db.js';

/**
 * A new English-reading person who administers `count` Smart Accounts of one legal entity, named
 * `Site 00`, `Site 01` … (domains `PREFIX00.example` …), each with a DEFAULT Virtual Account, and
 * `last`, an account whose name sorts after them all. Returns the domains, `last` at the end.
 */
export async function adminOfMany(
  database: TestDatabase,
  email: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  const [person] = await database.db
    .insert(users)
    .values({ email, name: email, locale: 'en', legalEntityId: 'be' })
    .returning();
  const accounts = [
    ...Array.from({ length: count }, (_, i) => {
      const n = String(i).padStart(2, '0');
      return { domain: `${prefix}${n}.example`, name: `Site ${n}` };
    }),
    { domain: `${prefix}-zulu.example`, name: 'Zulu Warehouse' },
  ];
  const inserted = await database.db
    .insert(smartAccounts)
    .values(accounts.map((a) => ({ ...a, legalEntityId: 'be' })))
    .returning();
  await database.db
    .insert(virtualAccounts)
    .values(inserted.map((sa) => ({ smartAccountId: sa.id, name: 'DEFAULT' })));
  await database.db
    .insert(roleGrants)
    .values(inserted.map((sa) => ({ userId: person!.id, smartAccountId: sa.id, role: 'admin' as const })));
  return accounts.map((a) => a.domain);
}
