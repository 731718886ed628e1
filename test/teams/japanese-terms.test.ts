import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { runReminderSweep } from '../../src/schedule/reminders.js';
import { cardText } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { workingDayReminders } from '../support/reminders.js';
import { COMPLIANCE_CONVERSATION, teamsUser, useTeamsWorld } from '../support/teams.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

/** Bob and Carol read Teams in Japanese. */
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'ja-JP');
const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol, 'ja-JP');

const HOUR = 3_600_000;

/**
 * What a Japanese reader sees at the head of a consent card and in a reminder uses the deck's words, as
 * the other surfaces and the transfer's record do: the role as 譲受人（転送先） / 譲渡人（転送元）, and each card
 * by what it asks (同意の依頼, コンプライアンス審査の依頼).
 */
describe.each(surfaceDrivers)(
  'Teams: the deck’s words at the head of cards and in reminders (%s)',
  (driver) => {
    const world = useTeamsWorld(driver, [bob, carol]);
    const deliver = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
    /** The first line of every card posted into a chat: its heading. */
    const headings = (chat: string) =>
      world.connector.cards(chat).map(({ card }) => {
        const first = card.body[0]?.text;
        return typeof first === 'string' ? first : '';
      });
    const everything = (chat: string) =>
      world.connector
        .cards(chat)
        .map(({ card }) => cardText(card))
        .join('\n');

    it('heads a consent card with the role as the deck names it: 譲受人（転送先）, 譲渡人（転送元）', async () => {
      await world.teams.install(bob);
      await world.teams.install(carol);
      // Paul, a partner, asks: Bob consents as transferee, Carol (named) as transferor.
      const id = await awaitingConsent(world.deps, 'SO:100-1', { requester: 'paul', transferor: 'carol' });
      await deliver();
      expect(headings(bob.chat)).toContain(
        `譲受人（転送先）としての同意をお願いします：トランザクション ${id}`,
      );
      expect(headings(carol.chat)).toContain(
        `譲渡人（転送元）としての同意をお願いします：トランザクション ${id}`,
      );
    });

    it('names the card a reminder points to as the record does: 同意の依頼カード, コンプライアンス審査の依頼カード', async () => {
      world.deps.config.complianceLocale = 'ja';
      // Both requested on Monday 08:00 UTC (the world's clock): one waits for Bob, the other is screened.
      const waiting = await awaitingConsent(world.deps, 'SO:100-2');
      const screened = await awaitingConsent(world.deps, 'SO:105-1');
      await world.teams.execute(bob, 'consent_approve', {
        transactionId: screened,
        decision: 'consent:transferee',
      });
      await deliver();
      // Wednesday 09:00 UTC: Bob's consent is a day old, the screening two working days.
      world.deps.advance(49 * HOUR);
      const swept = await runReminderSweep(world.deps, workingDayReminders('UTC'), world.deps.now());
      expect(swept.complianceReminders).toBe(1);
      await deliver();

      const toBob = everything(bob.chat);
      expect(toBob).toContain(`リマインダー（1回目）：トランザクション ${waiting} について`);
      expect(toBob).toContain('同意の依頼カードのボタンで回答するか、次のコマンドを使用してください');
      expect(toBob).not.toContain('同意カード');
      const toCompliance = everything(COMPLIANCE_CONVERSATION);
      expect(toCompliance).toContain(
        `トランザクション ${screened} はコンプライアンス審査中のまま2営業日を超えています`,
      );
      expect(toCompliance).toContain(
        'コンプライアンス審査の依頼カードのボタンで対応するか、次のコマンドを使用してください',
      );
      expect(toCompliance).not.toContain('コンプライアンスカード');
    });
  },
);
