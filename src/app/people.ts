import { isComplianceOfficer } from '../domain/permissions.js';
import type { AppDeps } from './deps.js';
import type { Identified } from './identity.js';
import { COMPLIANCE_CHANNEL } from './notifications.js';
import type { OutboxRow } from './ports/outbox.js';

/** One line of the people directory: who they are, their language and every role they hold. */
export interface PersonEntry {
  email: string;
  name: string;
  locale: string | null;
  roles: string[];
}

/** Everyone in the inventory, by id, with their roles (`admin:DOMAIN`, `user:DOMAIN`, then global roles). */
export async function peopleDirectory(deps: Pick<AppDeps, 'store'>): Promise<PersonEntry[]> {
  return (await deps.store.users.directory()).map(({ user, adminOf, userOf }) => ({
    email: user.email,
    name: user.name,
    locale: user.locale,
    roles: [
      ...adminOf.map((domain) => `admin:${domain}`),
      ...userOf.map((domain) => `user:${domain}`),
      ...user.globalRoles,
    ],
  }));
}

/** Whom to act as when nobody is named: the first administrator (someone who can request), else anyone. */
export async function defaultPersonEmail(deps: Pick<AppDeps, 'store'>): Promise<string | undefined> {
  return (await deps.store.users.firstUser())?.email;
}

/**
 * The latest messages and cards the bot addressed to this person, oldest first — and, for a compliance
 * officer, those addressed to the compliance channel. A person gets one copy of a card: one addressed
 * to them and to the channel both (a screening offered to a new compliance officer) shows once, where
 * it was last sent.
 */
export async function inboxOf(
  deps: Pick<AppDeps, 'store'>,
  person: Identified,
  limit = 30,
): Promise<OutboxRow[]> {
  const channel = isComplianceOfficer(person.actor) ? COMPLIANCE_CHANNEL : null;
  const rows = await deps.store.outbox.addressedTo(person.user.id, channel, limit);
  const cards = new Set<string>();
  const newestFirst = [...rows].reverse().filter((row) => {
    const { type, transferId, decision } = row.payload;
    if (type !== 'card') return true;
    const card = `${transferId ?? ''}:${decision ?? ''}`;
    if (cards.has(card)) return false;
    cards.add(card);
    return true;
  });
  return newestFirst.reverse();
}
