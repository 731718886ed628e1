/** A request journey in progress, as the bot keeps it between one answer and the next. */
export interface StoredDraft {
  id: string;
  userId: number;
  surface: string;
  state: Record<string, unknown>;
  /** The compare-and-set token: bumped on every change. */
  version: number;
  /** When it was started: a new start on the same surface starts the clock again. */
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export interface DraftRepository {
  /** Starts a draft for this person on this surface, replacing the one they had there. */
  start(draft: Omit<StoredDraft, 'version'>): Promise<StoredDraft>;
  load(id: string): Promise<StoredDraft | undefined>;
  /** The person's draft on this surface, whatever its state. */
  current(userId: number, surface: string): Promise<StoredDraft | undefined>;
  /** Writes the state if the draft is still at `version`; the new draft, or undefined when someone got there first. */
  update(
    id: string,
    version: number,
    change: { state: Record<string, unknown>; updatedAt: Date; expiresAt: Date },
  ): Promise<StoredDraft | undefined>;
  remove(id: string): Promise<void>;
  /** Removes the drafts expired at `now`; how many. */
  sweep(now: Date): Promise<number>;
}
