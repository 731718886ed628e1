import type { Address, CardLocation, PlatformSender } from '../../src/app/delivery-port.js';
import { COMPLIANCE_CHANNEL } from '../../src/app/notifications.js';
import { resolveLocale } from '../../src/i18n/index.js';

/**
 * The console's delivery: everyone in the inventory is reachable, and what the bot "sends" is what
 * `inbox` shows — read back from the outbox rows themselves, with cards rebuilt fresh on display. So
 * delivering only marks the row as delivered to the console; nothing is written twice.
 */
export function createConsoleSender(defaultTimeZone: string): PlatformSender {
  return {
    platform: 'console',
    async resolveUser(user) {
      return {
        platform: 'console',
        id: String(user.id),
        locale: resolveLocale(user.locale),
        timeZone: user.timeZone ?? defaultTimeZone,
      };
    },
    resolveChannel(channel): Address | null {
      return channel === COMPLIANCE_CHANNEL
        ? { platform: 'console', id: channel, locale: 'en', timeZone: defaultTimeZone }
        : null;
    },
    async sendMessage() {},
    async sendCard(to): Promise<CardLocation> {
      return { inbox: to.id };
    },
    async updateCard() {},
    async sendFile() {},
  };
}
