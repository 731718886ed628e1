import type { CardLocation, PlatformContact, PlatformSender } from '../../src/app/delivery-port.js';
import { COMPLIANCE_CHANNEL } from '../../src/app/notifications.js';

/**
 * The console's delivery: everyone in the inventory is reachable, and what the bot "sends" is what
 * `inbox` shows — read back from the outbox rows themselves, with cards rebuilt fresh on display. So
 * delivering only marks the row as delivered to the console; nothing is written twice.
 */
export function createConsoleSender(): PlatformSender {
  return {
    platform: 'console',
    // The console knows nothing of a person beyond the inventory: they read as the inventory says.
    async resolveUser(user): Promise<PlatformContact> {
      return { id: String(user.id) };
    },
    resolveChannel(channel): PlatformContact | null {
      return channel === COMPLIANCE_CHANNEL ? { id: channel } : null;
    },
    async sendMessage() {},
    async sendCard(to): Promise<CardLocation> {
      return { inbox: to.id };
    },
    async updateCard() {},
    async sendFile() {},
  };
}
