import type { IdentityPlatform } from './users.js';

/** The chat platforms `transfer-bot start` has served this database on. */
export interface PlatformRepository {
  /** Records that the bot serves these platforms on this database (kept from the first time on). */
  markServed(platforms: readonly IdentityPlatform[], at: Date): Promise<void>;
  /** Every platform the database has been served on. */
  served(): Promise<IdentityPlatform[]>;
}
