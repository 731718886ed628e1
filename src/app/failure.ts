import { msg, type Msg } from '../i18n/msg.js';

/**
 * What a request had changed when it failed on our side: nothing yet (`undefined`), or a change, naming
 * its transaction when it has one. A command's change is one transaction, so this is known exactly: it is
 * marked when that transaction has committed (`DispatchOptions.changed`), before its result is read back
 * and drawn.
 */
export type Changed = { id?: string } | undefined;

/** Told that a change committed, with its transaction's id when it names one. */
export type MarkChange = (id?: string) => void;

/** Keeps what a request changed, for the message a later failure gets. */
export interface ChangeTracker {
  readonly changed: Changed;
  /** Passed on as it is (`DispatchOptions.changed`). */
  readonly mark: MarkChange;
}

export function trackChanges(): ChangeTracker {
  let changed: Changed;
  return {
    get changed() {
      return changed;
    },
    mark: (id?: string) => {
      changed = id ? { id } : (changed ?? {});
    },
  };
}

/**
 * What a person is told when their request failed on our side, on every surface: before any change,
 * that nothing was changed and to try again; after one, that it is recorded and need not be done again,
 * and the command that shows it (`show ID`, as the surface has it typed: `typed`).
 */
export function failureMessage(changed: Changed, typed: (command: string) => string = (c) => c): Msg {
  if (!changed) return msg('core:failure.nothingChanged');
  if (changed.id === undefined) return msg('core:failure.notShown');
  return msg('core:failure.recorded', { id: changed.id, command: typed(`show ${changed.id}`) });
}
