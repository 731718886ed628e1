/**
 * Where a platform can reach a person proactively (a Teams conversation reference), kept so that direct
 * messages survive a restart. The reference is the platform's own shape: its adapter parses it back.
 */
export interface StoredConversation {
  reference: Record<string, unknown>;
  updatedAt: Date;
}

export interface ConversationRepository {
  /** Stores the reference; true when the person had none before (the platform can reach them now). */
  save(externalUserId: string, reference: Record<string, unknown>, at: Date): Promise<boolean>;
  load(externalUserId: string): Promise<StoredConversation | undefined>;
  remove(externalUserId: string): Promise<void>;
  /** The most recently saved, newest first. */
  newest(limit: number): Promise<StoredConversation[]>;
}
