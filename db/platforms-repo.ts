import { IDENTITY_PLATFORMS, type IdentityPlatform } from '../src/app/ports/users.js';
import type { PlatformRepository } from '../src/app/ports/platforms.js';
import type { Q } from './client.js';
import { servedPlatforms } from './schema.js';

export function platformRepository(q: Q): PlatformRepository {
  return {
    async markServed(platforms, at) {
      if (platforms.length === 0) return;
      await q
        .insert(servedPlatforms)
        .values(platforms.map((platform) => ({ platform, firstServedAt: at })))
        .onConflictDoNothing();
    },
    async served() {
      const rows = await q.select({ platform: servedPlatforms.platform }).from(servedPlatforms);
      // A name this version does not know (written by a later one) is no platform it can wait for.
      return rows
        .map((row) => row.platform)
        .filter((p): p is IdentityPlatform => (IDENTITY_PLATFORMS as readonly string[]).includes(p));
    },
  };
}
