import { describe, expect, it } from 'vitest';
import { roleGrants, smartAccounts, users, virtualAccounts } from '../../db/schema.js';
import { surfaceDrivers } from '../support/db.js';
import { adminOfMany } from '../support/many-accounts.js';
import { awaitingConsent } from '../support/transfers.js';
import { answerTo, SLACK, text, useSlack, openHome, type HomeBlock } from './harness.js';

type Option = { value: string; text: { text: string } };

describe.each(surfaceDrivers)('the Home tab’s Smart Accounts (%s)', (driver) => {
  const h = useSlack(driver);

  const home = (userId: string) => openHome(h, userId);

  const switcherOf = (view: { blocks: HomeBlock[] }) =>
    view.blocks.find((b) => b.accessory?.action_id === 'home_switch_sa');

  const hasRequestButton = (view: { blocks: HomeBlock[] }) =>
    view.blocks.some((b) => b.elements?.some((e) => e.action_id === 'home_request_transfer'));

  /** A new admin of the given accounts, each with the given Virtual Accounts; English-reading unless told. */
  async function adminOf(
    slackId: string,
    email: string,
    accounts: { domain: string; name: string }[],
    vaNames: string[] = ['DEFAULT'],
    locale: 'en' | 'ja' = 'en',
  ) {
    const [person] = await h.database.db
      .insert(users)
      .values({ email, name: slackId, locale, legalEntityId: 'be' })
      .returning();
    const inserted = await h.database.db
      .insert(smartAccounts)
      .values(accounts.map((a) => ({ ...a, legalEntityId: 'be' })))
      .returning();
    await h.database.db
      .insert(virtualAccounts)
      .values(inserted.flatMap((sa) => vaNames.map((name) => ({ smartAccountId: sa.id, name }))));
    await h.database.db
      .insert(roleGrants)
      .values(inserted.map((sa) => ({ userId: person!.id, smartAccountId: sa.id, role: 'admin' as const })));
    h.api.addPerson({ id: slackId, email, locale: locale === 'ja' ? 'ja-JP' : 'en-US', tz: 'UTC' });
  }

  it.each([
    ['en', 'Only the first 100 are shown: type to narrow the search'],
    ['ja', '最初の100件のみ表示しています。入力して絞り込んでください'],
  ] as const)(
    'the wizard’s source search says when more accounts match than Slack shows, and to type to narrow (%s)',
    async (locale, said) => {
      const accounts = Array.from({ length: 108 }, (_, i) => {
        const n = String(i).padStart(3, '0');
        return { domain: `src${locale}${n}.example`, name: `Source ${n}` };
      });
      const slackId = `USRC${locale.toUpperCase()}`;
      await adminOf(slackId, `src-${locale}@be.example`, accounts, ['DEFAULT'], locale);
      const res = await h.interact({
        type: 'block_suggestion',
        user: { id: slackId },
        action_id: 'wizard_source_sa',
        block_id: 'x',
        value: '',
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as {
        options?: Option[];
        option_groups?: { label: { text: string }; options: Option[] }[];
      };
      const groups = answer.option_groups ?? [];
      expect(groups).toHaveLength(1);
      expect(groups[0]!.label.text).toBe(said);
      expect(groups[0]!.label.text.length).toBeLessThanOrEqual(75);
      expect(groups[0]!.options).toHaveLength(100);
      expect(groups[0]!.options[0]!.value).toBe(`src${locale}000.example`);

      // Typed, the search finds those past the hundred.
      const typed = await h.interact({
        type: 'block_suggestion',
        user: { id: slackId },
        action_id: 'wizard_source_sa',
        block_id: 'x',
        value: `src${locale}107`,
      });
      const found = (await typed.json()) as { options: Option[] };
      expect(found.options.map((o) => o.value)).toEqual([`src${locale}107.example`]);
    },
  );

  it('shows the account chosen with `use` as current, and offers it, past the first hundred', async () => {
    const many = Array.from({ length: 120 }, (_, i) => {
      const n = String(i).padStart(3, '0');
      return { domain: `many${n}.example`, name: `Many ${n}` };
    });
    await adminOf('UMANY', 'many@be.example', many);
    const since = h.api.count();
    const { responseUrl } = await h.slash('UMANY', 'use many110.example');
    expect(text(await answerTo(h, responseUrl, { since }))).toContain('many110.example');

    const view = await home('UMANY');
    const switcher = switcherOf(view);
    expect(switcher?.accessory?.initial_option?.value).toBe('many110.example');
    const values = switcher?.accessory?.options?.map((o) => o.value) ?? [];
    expect(values.length).toBeLessThanOrEqual(100);
    expect(values).toContain('many110.example');
    expect(values).toContain('many000.example');
    expect(switcher?.text?.text).toContain('Many 110 (many110.example)');
    expect(JSON.stringify(view.blocks)).toContain('Transactions of many110.example');
    expect(JSON.stringify(view.blocks)).not.toContain('Transactions of many000.example');
  });

  it('keeps the domain of a long-named account whole in the switcher and in the wizard’s options', async () => {
    const long = 'Lumière Succursale Internationale de Commerce, de Logistique et de Distribution';
    await adminOf(
      'ULONG',
      'long@be.example',
      [
        { domain: 'long-north.example', name: `${long} Nord` },
        { domain: 'long-south.example', name: `${long} Sud` },
      ],
      ['DEFAULT', 'Lab'],
    );
    const fits = (options: Option[], label: string) => {
      const shown = options.filter((o) => o.text.text.includes(label)).map((o) => o.text.text);
      expect(shown.length).toBeGreaterThan(0);
      for (const t of shown) {
        expect(t.length).toBeLessThanOrEqual(75);
        expect(t).toMatch(/^(?:.+ · )?Lumière Succursale.*… \(long-(?:north|south)\.example\)$/);
      }
      return shown;
    };

    const switcher = switcherOf(await home('ULONG'));
    const inSwitcher = fits(switcher?.accessory?.options ?? [], 'long-');
    expect(inSwitcher.some((t) => t.endsWith('(long-north.example)'))).toBe(true);
    expect(inSwitcher.some((t) => t.endsWith('(long-south.example)'))).toBe(true);

    for (const actionId of ['wizard_source_sa', 'wizard_destination_sa']) {
      const res = await h.interact({
        type: 'block_suggestion',
        user: { id: 'ULONG' },
        action_id: actionId,
        block_id: 'x',
        value: 'long',
      });
      expect(res.status).toBe(200);
      const { options } = (await res.json()) as { options: Option[] };
      const shown = fits(options, 'long-');
      expect(shown.some((t) => t.endsWith('(long-north.example)'))).toBe(true);
      expect(shown.some((t) => t.endsWith('(long-south.example)'))).toBe(true);
    }
  });

  it('tells a compliance officer the list holds every transaction, and draws Request only for admins', async () => {
    const id = await awaitingConsent(h.deps, 'SO:100-1');
    // Cora (compliance, Japanese) administers nothing and takes no part in the transaction, yet sees it.
    const cora = await home(SLACK.cora.id);
    const shown = JSON.stringify(cora.blocks);
    expect(cora.blocks.some((b) => b.block_id === `home_row:${id}`)).toBe(true);
    expect(shown).toContain('すべてのトランザクション');
    expect(shown).not.toContain('参加中のトランザクション');
    expect(shown).not.toContain('参加しているトランザクションを以下に表示します');
    expect(hasRequestButton(cora)).toBe(false);

    // Eve administers nothing either: her own transactions, and no Request she could not complete.
    const eve = await home(SLACK.eve.id);
    expect(JSON.stringify(eve.blocks)).toContain('Your transactions');
    expect(hasRequestButton(eve)).toBe(false);

    // Bob administers be.example: Request stays.
    expect(hasRequestButton(await home(SLACK.bob.id))).toBe(true);

    // `/transfer list` titles her list the same way.
    const since = h.api.count();
    const { responseUrl } = await h.slash(SLACK.cora.id, 'list');
    expect(text(await answerTo(h, responseUrl, { since }))).toContain('すべてのトランザクション');
  });

  it('answers `accounts` with the first 50 of 63 and says 13 more match, which a search finds', async () => {
    await adminOfMany(h.database, 'sixty@be.example', 'sixty', 62);
    h.api.addPerson({ id: 'USIXTY', email: 'sixty@be.example', locale: 'en-US', tz: 'UTC' });
    const answer = async (command: string) => {
      const since = h.api.count();
      const { responseUrl } = await h.slash('USIXTY', command);
      return text(await answerTo(h, responseUrl, { since }));
    };
    const all = await answer('accounts');
    expect(all).toContain('Site 00');
    expect(all).not.toContain('Zulu Warehouse');
    expect(all).toContain('13 more Smart Accounts are not listed: type accounts TEXT');
    const found = await answer('accounts zulu');
    expect(found).toContain('Zulu Warehouse');
    expect(found).not.toContain('more Smart Account');
  });
});
