import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfers } from '../../db/schema.js';
import {
  cardText,
  executeActions,
  type AdaptiveCardJson,
  type BotConnector,
} from '../support/bot-connector.js';
import type { TestDatabase } from '../support/db.js';
import { countingAccountLists } from '../support/counting-deps.js';
import {
  cardInputs,
  startBot,
  startTeamsWorld,
  submitButtons,
  teamsClient,
  teamsUser,
  type DialogTask,
  type TeamsClient,
  type TeamsWorld,
} from '../support/teams.js';
import { EMAILS } from '../support/world.js';
import { translate } from '../../src/i18n/index.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

/** The card a dialog answer shows. */
const dialogCard = (res: { body: unknown }): AdaptiveCardJson =>
  (res.body as { task: { value: { card: { content: AdaptiveCardJson } } } }).task.value.card.content;

/** Types a `new …` line and opens the dialog its entry card's button opens, as the person would. */
async function openFrom(
  client: TeamsClient,
  connector: BotConnector,
  user: ReturnType<typeof teamsUser>,
  line: string,
): Promise<AdaptiveCardJson> {
  await client.message(user, line);
  const entry = connector.cards(user.chat).at(-1)!.card;
  const open = submitButtons(entry).find(
    (b) => (b.data['msteams'] as { type?: string })?.type === 'task/fetch',
  );
  if (!open) throw new Error(`no wizard button in: ${cardText(entry)}`);
  return dialogCard(await client.invoke(user, 'task/fetch', { data: open.data }));
}

describe('Teams: the request wizard in a dialog', () => {
  let world: TeamsWorld;
  let database: TestDatabase;
  let connector: BotConnector;
  let teams: TeamsClient;
  let card: AdaptiveCardJson;

  /** Clicks a button of the current step with these input values, as Teams would send it. */
  async function click(title: string, values: Record<string, unknown> = {}): Promise<DialogTask> {
    const button = submitButtons(card).find((b) => b.title === title);
    if (!button)
      throw new Error(
        `no button "${title}" in: ${submitButtons(card)
          .map((b) => b.title)
          .join(', ')}`,
      );
    const res = await teams.invoke(alice, 'task/submit', {
      data: { ...button.data, ...values },
      context: { theme: 'default' },
    });
    expect(res.status).toBe(200);
    const task = res.body as DialogTask;
    if (task.task.type === 'continue') card = task.task.value.card.content;
    return task;
  }

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice]);
    ({ database, connector, teams } = world);
  });
  afterAll(() => world?.close());

  it('offers the wizard for a `new` with missing answers, and opens it at the first one not given', async () => {
    await teams.message(alice, 'new from:fr-a.example same-company:no');
    const entry = connector.cards(alice.chat).at(-1)!.card;
    expect(cardText(entry)).toContain('transferee:EMAIL');
    const open = submitButtons(entry).find((b) => b.title === 'Request Asset Transfer')!;
    expect(open.data).toMatchObject({
      msteams: { type: 'task/fetch' },
      wizard: { draft: expect.any(String) },
    });
    expect(open.data).not.toHaveProperty('wizard.journey');

    const res = await teams.invoke(alice, 'task/fetch', { data: open.data });
    const task = res.body as DialogTask;
    expect(task.task.type).toBe('continue');
    if (task.task.type !== 'continue') return;
    card = task.task.value.card.content;
    expect(task.task.value.title).toBe('Request Asset Transfer');
    // The source was given: the journey asks the destination, naming the source apart.
    expect(cardText(card)).toContain('Destination');
    expect(cardText(card)).toContain('Lumière Lyon (fr-a.example) (the source)');
    await click('Back');
    expect(cardText(card)).toContain('Source Smart Account');
    expect(cardInputs(card).source).toMatchObject({ value: 'fr-a.example' });
  });

  it('shows the source accounts with their counts, per Virtual Account on demand', async () => {
    const titles = (cardInputs(card).source?.choices as { title: string }[]).map((c) => c.title);
    expect(titles).toContain('Lumière Lyon (fr-a.example) — Licenses: 7 · Devices: 4');
    await click('Show counts', { source: 'fr-a.example', accountQuery: '' });
    // An On-Prem Virtual Account says so, in the choices and the counts (its devices cannot move).
    expect(cardText(card)).toMatch(/Lab \(On-Prem\)[\s\S]*Licenses: 0 · Devices: 1/);
    expect(titles).toContain('Lumière Lyon (fr-a.example) / Lab (On-Prem) — Licenses: 0 · Devices: 1');
  });

  it('says what is wrong beside the field, then offers every other account’s Virtual Accounts as destination', async () => {
    await click('Next', { source: '', accountQuery: 'nowhere' });
    expect(cardText(card)).toContain('No Smart Account you administer matches “nowhere”.');
    await click('Next', { source: 'fr-a.example', accountQuery: '' });
    expect(cardText(card)).toContain('Destination');
    const destinations = (cardInputs(card).destination?.choices as { value: string }[]).map((c) => c.value);
    expect(destinations).toEqual(expect.arrayContaining(['be.example/DEFAULT', 'fr-b.example/DEFAULT']));
    expect(destinations.some((d) => d.startsWith('fr-a.example'))).toBe(false);
  });

  it('Back to the source after a search that found nothing shows the account chosen, not that search', async () => {
    await click('Back');
    await click('Search', { accountQuery: 'nowhere' });
    await click('Next', { source: '', accountQuery: 'Lyon' });
    expect(cardText(card)).toContain('Destination');
    await click('Back');
    expect(cardText(card)).not.toContain('“nowhere”');
    expect(cardInputs(card).source).toMatchObject({ value: 'fr-a.example' });
    await click('Next', { source: 'fr-a.example', accountQuery: '' });
    expect(cardText(card)).toContain('Destination');
  });

  it('keeps the same-company answer the command gave, which Back shows, then asks the transferee', async () => {
    await click('Next', { destination: 'be.example/DEFAULT' });
    // "same-company:no" was typed: the journey goes on to the transferee.
    expect(cardInputs(card).transferee).toBeDefined();
    await click('Back');
    expect(cardText(card)).toContain('Is this a transfer between divisions or sites of the same company?');
    expect(cardInputs(card).sameCompany).toMatchObject({ value: 'no' });
    await click('Next', { sameCompany: 'maybe' });
    expect(cardText(card)).toContain('Answer yes or no.');
    // A "yes" the inventory contradicts (two legal entities): the form it leads to says why it is asked.
    await click('Next', { sameCompany: 'yes' });
    expect(cardInputs(card).transferee).toBeDefined();
    expect(cardText(card)).toContain(
      `⚠ ${translate('en', 'core:warning.twoLegalEntities', {
        source: 'Lumière Réseaux SAS',
        destination: 'Lumière Réseaux Belgique SA',
      })}`,
    );
    await click('Back');
    await click('Next', { sameCompany: 'no' });
    expect(cardText(card)).not.toContain('⚠');
    // The requester is not offered as their own transferee.
    expect((cardInputs(card).transferee?.choices as { value: string }[]).map((c) => c.value)).toEqual([
      EMAILS.bob,
      EMAILS.paul,
    ]);
    await click('Next', { transferee: EMAILS.bob });
    expect(cardText(card)).toContain('Licenses and devices');
    // The answers are in the draft the bot keeps; the card's buttons carry only its id and the drawing.
    const data = submitButtons(card)[0]!.data['wizard'] as Record<string, unknown>;
    expect(data).not.toHaveProperty('journey');
    expect(data).not.toHaveProperty('transferee');
    const draft = await world.deps.store.drafts.load(String(data['draft']));
    expect(draft?.state).toMatchObject({ transferee: EMAILS.bob, sameCompany: false });
  });

  it('lists licenses with ineligible ones unselectable and their reason, and searches', async () => {
    const toggles = Object.values(cardInputs(card))
      .filter((i) => i.type === 'Input.Toggle')
      .map((i) => String(i.title));
    expect(toggles.some((t) => t.startsWith('SO:100-1'))).toBe(true);
    expect(toggles.some((t) => t.startsWith('SO:101-1'))).toBe(false);
    const text = cardText(card);
    expect(text).toContain('Cannot be selected: bought under an Enterprise Agreement');
    expect(text).toContain('Cannot be selected: has a pending upgrade');
    // "Select all eligible" on the Licenses tab counts the eligible licenses, each one a toggle, no device.
    const selectAll = submitButtons(card).filter((b) => b.title.startsWith('Select all eligible'));
    expect(selectAll.map((b) => b.title)).toEqual([`Select all eligible (${toggles.length})`]);
    await click('Search', { assetQuery: '104' });
    const found = Object.values(cardInputs(card))
      .filter((i) => i.type === 'Input.Toggle')
      .map((i) => String(i.title));
    expect(found).toEqual([expect.stringMatching(/^SO:104-1/)]);
    expect(cardText(card)).toContain('reserved (SLR)');
    // A line typed whole, as Slack's typeahead takes it, finds that line.
    await click('Search', { assetQuery: 'SO:104-1' });
    const line = Object.values(cardInputs(card))
      .filter((i) => i.type === 'Input.Toggle')
      .map((i) => String(i.title));
    expect(line).toEqual([expect.stringMatching(/^SO:104-1/)]);
  });

  it('keeps the selection across searches and tabs, and devices show their own reasons', async () => {
    const id = Object.values(cardInputs(card)).find((i) => i.type === 'Input.Toggle')!.id as string;
    await click('Devices', { [id]: 'true', assetQuery: '104' });
    expect(cardText(card)).toContain('Selected: 1 asset');
    expect(cardInputs(card).assets).toMatchObject({ value: 'SO:104-1' });
    expect(cardText(card)).toContain('Cannot be selected: registered to SSM On-Prem');
    await click('Search', { assetQuery: '' });
    const device = Object.values(cardInputs(card)).find(
      (i) => i.type === 'Input.Toggle' && String(i.title).startsWith('SN:FOC0001'),
    )!;
    // A wrong reference typed beside the ticks: the asset card again, with the journey's reason.
    await click('Next', { [device.id as string]: 'true', assets: 'SO:104-1, SO:abc' });
    expect(cardText(card)).toContain('Not an asset reference: SO:abc.');
    expect(cardInputs(card).assets?.value).toContain('SO:abc');
    await click('Next', { [device.id as string]: 'true', assets: 'SO:104-1' });
    expect(cardText(card)).toContain('Software license transfer request form');
  });

  it('the request form: prefilled from the inventory, the terms text, and each missing answer beside its field', async () => {
    const form = cardInputs(card);
    expect(form.legalName?.value).toBe('Lumière Réseaux Belgique SA');
    expect(form.address?.value).toBe('Avenue Louise 1, Bruxelles');
    expect(cardText(card)).toContain('confirms that the transfer is lawful');
    const company = { legalName: 'Lumière Réseaux Belgique SA', address: 'Avenue Louise 1, Bruxelles' };
    await click('Next', { ...company, justification: '', terms: 'true' });
    expect(cardText(card)).toContain('A business justification is required.');
    expect(cardInputs(card).terms).toMatchObject({ value: 'true' });
    await click('Next', { ...company, justification: 'Brussels office', terms: 'false' });
    expect(cardText(card)).toContain('The terms and conditions must be accepted to go on.');
    expect(cardText(card)).toContain('Brussels office');
    await click('Next', { ...company, terms: 'true' });
    expect(cardText(card)).toContain('Review and submit');
    // The transferee by name, with the e-mail address answered.
    expect(cardText(card)).toContain(`Bob Peeters (${EMAILS.bob})`);
    expect(cardText(card)).toContain('SO:104-1');
    expect(cardText(card)).toContain('SN:FOC0001');
    expect(cardText(card)).toContain('Accepted');
  });

  it('submits for review: the dialog closes and the transfer card lands in the chat', async () => {
    const posted = connector.posted(alice.chat).length;
    const task = await click('Submit for Review');
    expect(task.task.type).toBe('message');
    const id = /AT-[0-9A-Z]{8}/.exec(JSON.stringify(task))?.[0];
    expect(id).toBeDefined();
    const [row] = await database.db.select().from(transfers).where(eq(transfers.id, id!));
    expect(row).toMatchObject({
      status: 'pending_submission',
      sameLegalEntity: false,
      justification: 'Brussels office',
    });
    const newCards = connector.cards(alice.chat).slice(-1);
    expect(connector.posted(alice.chat).length).toBe(posted + 1);
    expect(executeActions(newCards[0]!.card).map((a) => a.verb)).toEqual([
      'transfer_submit',
      'transfer_cancel',
    ]);
  });

  it('shows the core’s refusal on the review step instead of closing', async () => {
    // The asset is free when chosen, and taken by another request before Submit for Review: the review
    // says so and stays open.
    card = await openFrom(
      teams,
      connector,
      alice,
      'new from:fr-a.example to:fr-b.example/DEFAULT same-company:yes',
    );
    await click('Next', { assets: 'SO:100-2' });
    expect(cardText(card)).toContain('Review and submit');
    await teams.message(
      alice,
      'new from:fr-a.example to:fr-b.example/DEFAULT same-company:yes assets:SO:100-2',
    );
    const task = await click('Submit for Review');
    expect(task.task.type).toBe('continue');
    expect(cardText(card)).toContain('Review and submit');
    expect(cardText(card)).toContain('SO:100-2: already in open transaction');
    // "Same company" for the Belgian affiliate: the inventory records two legal entities, so instead of
    // the review the dialog asks for the request form, starting with the transferee.
    card = await openFrom(
      teams,
      connector,
      alice,
      'new from:fr-a.example to:be.example/DEFAULT same-company:yes',
    );
    await click('Next', { assets: 'SO:105-1' });
    const asked = cardText(card);
    expect(asked).not.toContain('Review and submit');
    expect(asked).toContain('Transferee');
    // The wizard's transfer and the one typed whole, nothing more.
    expect(await database.db.select().from(transfers)).toHaveLength(2);
  });
});

describe('Teams: the dialog for a partner, and in French', () => {
  const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);
  const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol, 'fr-FR');
  let world: TeamsWorld;

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [paul, carol]);
  });
  afterAll(() => world?.close());

  it('lists the source’s admins from the customer, and asking every one of them', async () => {
    const card = await openFrom(
      world.teams,
      world.connector,
      paul,
      `new from:fr-a.example to:be.example/DEFAULT same-company:no transferee:${EMAILS.bob}`,
    );
    expect(cardText(card)).toContain('Transferor');
    const choices = cardInputs(card).transferor?.choices as { title: string; value: string }[];
    expect(choices).toEqual([
      { title: 'Ask every eligible admin (the first to answer decides)', value: '*' },
      { title: `Alice Martin (${EMAILS.alice})`, value: EMAILS.alice },
      { title: `Carol Durand (${EMAILS.carol})`, value: EMAILS.carol },
    ]);
    expect(cardInputs(card).transferor).toMatchObject({ value: '*' });
  });

  it('leaves the transferee out of the transferors on the card drawn by the click that names them', async () => {
    const opened = await openFrom(
      world.teams,
      world.connector,
      paul,
      'new from:fr-a.example to:be.example/DEFAULT same-company:no',
    );
    const next = submitButtons(opened).find((b) => b.data['go'] === 'next')!;
    // Alice administers the source and the destination: named transferee, she is not offered as transferor.
    const res = await world.teams.invoke(paul, 'task/submit', {
      data: { ...next.data, transferee: EMAILS.alice },
    });
    const choices = cardInputs(dialogCard(res)).transferor?.choices as { value: string }[];
    expect(choices.map((c) => c.value)).toEqual(['*', EMAILS.carol]);
  });

  it('reads the accounts a person administers once per click, however many steps the click answers and draws', async () => {
    const counted = countingAccountLists(world.deps);
    const bot = await startBot(counted.deps);
    try {
      const teams = teamsClient(bot, world.connector);
      const opened = await openFrom(
        teams,
        world.connector,
        paul,
        'new from:fr-a.example to:be.example/DEFAULT same-company:no',
      );
      expect(cardText(opened)).toContain('Transferee');
      const next = submitButtons(opened).find((b) => b.data['go'] === 'next')!;
      const before = counted.lists();
      const res = await teams.invoke(paul, 'task/submit', { data: { ...next.data, transferee: EMAILS.bob } });
      // The transferee taken, the partner is asked for the transferor: one listing of the accounts for all of it.
      expect(cardInputs(dialogCard(res)).transferor).toBeDefined();
      expect(counted.lists() - before).toBe(1);
    } finally {
      await bot.close();
    }
  });

  it('says in the reader’s language what is wrong beside the field, and when no destination can receive', async () => {
    const opened = await world.teams.invoke(carol, 'task/fetch', { data: {} });
    const card = dialogCard(opened);
    const next = submitButtons(card).find((b) => b.data['go'] === 'next')!;
    const res = await world.teams.invoke(carol, 'task/submit', {
      data: { ...next.data, source: '', accountQuery: '' },
    });
    const wrong = cardText(dialogCard(res));
    expect(wrong).toContain('Indiquez un compte Smart.');
    const again = await world.teams.invoke(carol, 'task/submit', {
      data: { ...next.data, source: 'fr-a.example' },
    });
    const blocked = dialogCard(again);
    // Carol administers only the source: nothing can receive, and the card offers no way forward.
    expect(cardText(blocked)).toContain('Aucun autre compte Smart que vous administrez ne peut recevoir');
    expect(submitButtons(blocked).some((b) => b.data['go'] === 'next')).toBe(false);
  });

  it('opens a card that sends answers of its own on an empty draft: nothing it says is taken, nobody is named', async () => {
    // Carol administers fr-a.example only; a forged button names be.example as the source.
    const forged = {
      wizard: {
        journey: {
          source: { smartAccount: 'be.example' },
          destination: { smartAccount: 'fr-a.example', virtualAccount: 'DEFAULT' },
          sameCompany: false,
        },
      },
    };
    const offer = dialogCard(await world.teams.invoke(carol, 'task/fetch', { data: forged }));
    // Carol's request in progress (the test before) is offered first, as it is, and Start over empties it.
    expect(cardText(offer)).toContain('(fr-a.example → …)');
    const over = submitButtons(offer).find((b) => b.data['choice'] === 'startOver')!;
    const card = dialogCard(await world.teams.invoke(carol, 'task/submit', { data: over.data }));
    expect(cardInputs(card).source).toBeDefined();
    expect(cardInputs(card).source?.value ?? '').not.toContain('be.example');
    expect(cardInputs(card).transferor).toBeUndefined();
    expect(JSON.stringify(card)).not.toMatch(new RegExp(`${EMAILS.bob}|${EMAILS.paul}`));
  });
});
