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
import type { OutboxRepository } from '../src/app/ports/outbox.js';
import { platformRepository } from './platforms-repo.js';
import { reminderRepository } from './reminders-repo.js';
import { roleRepository } from './roles-repo.js';
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
    roles: roleRepository(q),
    outbox: outboxRepository(q),
    cards: cardRepository(q),
    reminders: reminderRepository(q),
    conversations: conversationRepository(q),
    platforms: platformRepository(q),
    drafts: draftRepository(q),
    work: workRepository(q),
    afterCommit: (effect) => effect(),
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

/** Runs each of what waited for a commit: the write committed, so one failing is neither the writer's failure nor the others'. */
function runCommitted(effects: Iterable<() => void>): void {
  for (const effect of effects) {
    try {
      effect();
    } catch {
      // Committed already: nothing to undo, nothing to report to the writer.
    }
  }
}

/** The application's store on this database (PGlite or a PostgreSQL server alike). */
export function createStore(db: Db): Store {
  const outside = repositories(db);
  const listeners = new Set<() => void>();
  const written = () => runCommitted(listeners);
  return {
    ...outside,
    outbox: noticing(outside.outbox, written),
    // Outside a transaction, requests recorded at the same moment share one INSERT (grouped-accepts.ts).
    work: {
      ...outside.work,
      accept: groupedAccept(db, (item, now, lease) => outside.work.accept(item, now, lease)),
    },
    async transaction(work) {
      let wrote = false;
      const committed: (() => void)[] = [];
      let result;
      try {
        result = await db.transaction((tx) => {
          const repos = repositories(tx);
          return work({
            ...repos,
            outbox: noticing(repos.outbox, () => (wrote = true)),
            afterCommit: (effect) => committed.push(effect),
          });
        });
      } catch (err) {
        throw asStoreError(err);
      }
      if (wrote) written();
      runCommitted(committed);
      return result;
    },
    inventory: inventoryStore(db, repositories),
    ping: () => ping(db),
    onOutboxWritten(listener) {
      const own = () => listener();
      listeners.add(own);
      return () => listeners.delete(own);
    },
  };
}

/** The outbox, calling `wrote` once messages were written through it. */
function noticing(outbox: OutboxRepository, wrote: () => void): OutboxRepository {
  return {
    ...outbox,
    async enqueue(now, entries) {
      await outbox.enqueue(now, entries);
      if (entries.length > 0) wrote();
    },
  };
}
