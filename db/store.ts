import {
  ConcurrentUpdateError,
  DuplicateError,
  type Repositories,
  type Store,
} from '../src/app/ports/store.js';
import { accountRepository } from './accounts-repo.js';
import { assetRepository } from './assets-repo.js';
import { pgErrorCode, ping, type Db, type Q } from './client.js';
import { conversationRepository } from './conversations-repo.js';
import { draftRepository } from './drafts-repo.js';
import { inventoryStore } from './inventory-import.js';
import { cardRepository, outboxRepository } from './outbox-repo.js';
import { reminderRepository } from './reminders-repo.js';
import { transferRepository } from './transfers-repo.js';
import { userRepository } from './users-repo.js';
import { workRepository } from './work-repo.js';
import { groupedAccept } from './grouped-accepts.js';

/** Every repository on one connection or one open transaction. */
export function repositories(q: Q): Repositories {
  return {
    accounts: accountRepository(q),
    assets: assetRepository(q),
    transfers: transferRepository(q),
    users: userRepository(q),
    outbox: outboxRepository(q),
    cards: cardRepository(q),
    reminders: reminderRepository(q),
    conversations: conversationRepository(q),
    drafts: draftRepository(q),
    work: workRepository(q),
  };
}

/** PostgreSQL's answer to a transaction that lost a race, as the application's ports name it. */
function asStoreError(err: unknown): unknown {
  const code = pgErrorCode(err);
  // serialization_failure, deadlock_detected
  if (code === '40001' || code === '40P01') return new ConcurrentUpdateError({ cause: err });
  // unique_violation
  if (code === '23505') return new DuplicateError({ cause: err });
  return err;
}

/** The application's store on this database (PGlite or a PostgreSQL server alike). */
export function createStore(db: Db): Store {
  const outside = repositories(db);
  return {
    ...outside,
    // Outside a transaction, requests recorded at the same moment share one INSERT (grouped-accepts.ts).
    work: {
      ...outside.work,
      accept: groupedAccept(db, (item, now, lease) => outside.work.accept(item, now, lease)),
    },
    async transaction(work) {
      try {
        return await db.transaction((tx) => work(repositories(tx)));
      } catch (err) {
        throw asStoreError(err);
      }
    },
    inventory: inventoryStore(db),
    ping: () => ping(db),
  };
}
