/** Work a platform was told was received, kept until it is done (see db/schema/workflow.ts). */
export interface WorkItem {
  id: number;
  surface: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface NewWorkItem {
  /** The request's digest: the same request sent again has the same key. */
  requestKey: string;
  surface: string;
  kind: string;
  payload: Record<string, unknown>;
}

export interface WorkRepository {
  /**
   * Records work received, held until `leaseUntil` (null: left for any instance to claim), or already
   * done when `doneAt` is given (a request kept only to recognise it again). Null when the same request
   * was recorded already: a replay.
   */
  accept(
    item: NewWorkItem,
    now: Date,
    lease: { leaseUntil: Date | null; doneAt?: Date },
  ): Promise<number | null>;
  /** Up to `limit` items of `surface` nobody holds (never claimed, or their holder's lease ran out), now held until `leaseUntil`. */
  claim(surface: string, now: Date, leaseUntil: Date, limit: number): Promise<WorkItem[]>;
  /** Holds these items longer (the holder is alive and still on them). */
  extend(ids: readonly number[], leaseUntil: Date): Promise<void>;
  /** Marks these items done: they are not run again. */
  finish(ids: readonly number[], now: Date): Promise<void>;
  /** Lets go of items not started, for another instance to claim at once (a shutdown hands them over). */
  release(ids: readonly number[]): Promise<void>;
  /** Forgets items received before `before` and done. */
  purge(before: Date): Promise<void>;
  /** Items not done yet, on every surface. */
  openCount(): Promise<number>;
}
