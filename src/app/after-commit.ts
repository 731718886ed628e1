import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Side effects that must only count once the database has committed (metrics): a transaction that is
 * rolled back and re-run after losing a race must not count its first attempt too.
 */
const pending = new AsyncLocalStorage<(() => void)[]>();

/** Runs `effect` after the surrounding transaction commits (at once when there is none). */
export function afterCommit(effect: () => void): void {
  const list = pending.getStore();
  if (list) list.push(effect);
  else effect();
}

/** Runs `transaction`; its effects run if it resolves and are dropped if it throws. */
export async function withCommitEffects<T>(transaction: () => Promise<T>): Promise<T> {
  const effects: (() => void)[] = [];
  const value = await pending.run(effects, transaction);
  for (const effect of effects) effect();
  return value;
}
