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
import { startTeamsWorld, teamsUser, type TeamsClient, type TeamsWorld } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

type Task =
  | { task: { type: 'continue'; value: { title: string; card: { content: AdaptiveCardJson } } } }
  | { task: { type: 'message'; value: string } };

/** The dialog's buttons: their title and the data they send back (the wizard state travels inside). */
function buttons(card: AdaptiveCardJson): { title: string; data: Record<string, unknown> }[] {
  const found: { title: string; data: Record<string, unknown> }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'Action.Submit')
        found.push({ title: String(o.title), data: o.data as Record<string, unknown> });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

function inputs(card: AdaptiveCardJson): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
        out[o.id] = o;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('Teams: the request wizard in a dialog', () => {
  let world: TeamsWorld;
  let database: TestDatabase;
  let connector: BotConnector;
  let teams: TeamsClient;
  let card: AdaptiveCardJson;

  /** Clicks a button of the current step with these input values, as Teams would send it. */
  async function click(title: string, values: Record<string, unknown> = {}): Promise<Task> {
    const button = buttons(card).find((b) => b.title === title);
    if (!button)
      throw new Error(
        `no button "${title}" in: ${buttons(card)
          .map((b) => b.title)
          .join(', ')}`,
      );
    const res = await teams.invoke(alice, 'task/submit', {
      data: { ...button.data, ...values },
      context: { theme: 'default' },
    });
    expect(res.status).toBe(200);
    const task = res.body as Task;
    if (task.task.type === 'continue') card = task.task.value.card.content;
    return task;
  }

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice]);
    ({ database, connector, teams } = world);
  });
  afterAll(() => world?.close());

  it('offers the wizard for a `new` with missing answers, prefilled with what was typed', async () => {
    await teams.message(alice, 'new from:fr-a.example same-company:no');
    const entry = connector.cards(alice.chat).at(-1)!.card;
    expect(cardText(entry)).toContain('transferee:EMAIL');
    const open = buttons(entry).find((b) => b.title === 'Request Asset Transfer')!;
    expect(open.data).toMatchObject({
      msteams: { type: 'task/fetch' },
      wizard: { source: 'fr-a.example', sameCompany: 'no' },
    });

    const res = await teams.invoke(alice, 'task/fetch', { data: open.data });
    const task = res.body as Task;
    expect(task.task.type).toBe('continue');
    if (task.task.type !== 'continue') return;
    card = task.task.value.card.content;
    expect(task.task.value.title).toBe('Request Asset Transfer');
    expect(cardText(card)).toContain('Step 1 of 6');
    expect(inputs(card).source).toMatchObject({ value: 'fr-a.example' });
  });

  it('shows the source accounts with their counts, per Virtual Account on demand', async () => {
    const titles = (inputs(card).source?.choices as { title: string }[]).map((c) => c.title);
    expect(titles).toContain('Lumière Lyon (fr-a.example) — Licenses: 7 · Devices: 4');
    await click('Show counts', { source: 'fr-a.example', accountQuery: '' });
    expect(cardText(card)).toMatch(/Lab[\s\S]*Licenses: 0 · Devices: 1/);
  });

  it('asks for the source first, then offers every other account’s Virtual Accounts as destination', async () => {
    await click('Next', { source: '' });
    expect(cardText(card)).toContain('Choose the source Smart Account.');
    await click('Next', { source: 'fr-a.example' });
    expect(cardText(card)).toContain('Step 2 of 6');
    const destinations = (inputs(card).destination?.choices as { value: string }[]).map((c) => c.value);
    expect(destinations).toEqual(expect.arrayContaining(['be.example/DEFAULT', 'fr-b.example/DEFAULT']));
    expect(destinations.some((d) => d.startsWith('fr-a.example'))).toBe(false);
  });

  it('asks the same-company question, and on No the form prefilled from the inventory', async () => {
    await click('Next', { sourceVa: '*', destination: 'be.example/DEFAULT' });
    expect(cardText(card)).toContain('Is this a transfer between divisions or sites of the same company?');
    await click('Next', { sameCompany: 'no' });
    expect(cardText(card)).toContain('Step 4 of 6');
    const form = inputs(card);
    expect(form.legalName?.value).toBe('Lumière Réseaux Belgique SA');
    expect(form.address?.value).toBe('Avenue Louise 1, Bruxelles');
    // The requester is not offered as their own transferee.
    expect((form.transferee?.choices as { value: string }[]).map((c) => c.value)).toEqual([
      EMAILS.bob,
      EMAILS.paul,
    ]);
    await click('Next', {
      transferee: EMAILS.bob,
      justification: '',
      terms: 'false',
      legalName: 'Lumière Réseaux Belgique SA',
      address: 'Avenue Louise 1, Bruxelles',
    });
    expect(cardText(card)).toContain('Give a business justification');
    expect(cardText(card)).toContain('Accept the terms and conditions');
    await click('Next', {
      transferee: EMAILS.bob,
      justification: 'Brussels office',
      terms: 'true',
      legalName: 'Lumière Réseaux Belgique SA',
      address: 'Avenue Louise 1, Bruxelles',
    });
    expect(cardText(card)).toContain('Step 5 of 6');
    // The answers are in the draft the bot keeps; the card's buttons carry only its id and the drawing.
    const data = buttons(card)[0]!.data['wizard'] as Record<string, unknown>;
    expect(data).not.toHaveProperty('transferee');
    expect(data).not.toHaveProperty('justification');
    const draft = await world.deps.store.drafts.load(String(data['draft']));
    expect(draft?.state).toMatchObject({ transferee: EMAILS.bob, justification: 'Brussels office' });
  });

  it('lists licenses with ineligible ones unselectable and their reason, and searches', async () => {
    const toggles = Object.values(inputs(card))
      .filter((i) => i.type === 'Input.Toggle')
      .map((i) => String(i.title));
    expect(toggles.some((t) => t.startsWith('SO:100-1'))).toBe(true);
    expect(toggles.some((t) => t.startsWith('SO:101-1'))).toBe(false);
    const text = cardText(card);
    expect(text).toContain('Cannot be selected: bought under an Enterprise Agreement');
    expect(text).toContain('Cannot be selected: has a pending upgrade');
    await click('Search', { assetQuery: '104' });
    const found = Object.values(inputs(card))
      .filter((i) => i.type === 'Input.Toggle')
      .map((i) => String(i.title));
    expect(found).toEqual([expect.stringMatching(/^SO:104-1/)]);
    expect(cardText(card)).toContain('reserved (SLR)');
  });

  it('keeps the selection across searches and tabs, and devices show their own reasons', async () => {
    const id = Object.values(inputs(card)).find((i) => i.type === 'Input.Toggle')!.id as string;
    await click('Devices', { [id]: 'true', assetQuery: '104' });
    expect(cardText(card)).toContain('Selected: 1 asset');
    expect(cardText(card)).toContain('Cannot be selected: registered to SSM On-Prem');
    const device = Object.values(inputs(card)).find(
      (i) => i.type === 'Input.Toggle' && String(i.title).startsWith('SN:FOC0001'),
    )!;
    await click('Next', { [device.id as string]: 'true' });
    expect(cardText(card)).toContain('Step 6 of 6');
    expect(cardText(card)).toContain('SO:104-1');
    expect(cardText(card)).toContain('SN:FOC0001');
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
    const review = async (wizard: Record<string, unknown>) => {
      const res = await teams.invoke(alice, 'task/submit', {
        data: { go: 'submit', wizard: { step: 'review', source: 'fr-a.example', ...wizard } },
      });
      const task = res.body as Task;
      expect(task.task.type).toBe('continue');
      return task.task.type === 'continue' ? cardText(task.task.value.card.content) : '';
    };
    // The asset is now held by the transfer just created.
    const taken = await review({
      destination: 'fr-b.example',
      destinationVa: 'DEFAULT',
      sameCompany: 'yes',
      selected: ['SO:104-1'],
    });
    expect(taken).toContain('SO:104-1: already in open transaction');
    // "Same company" for the Belgian affiliate: the inventory says otherwise, so the form is required.
    const contradicted = await review({
      destination: 'be.example',
      destinationVa: 'DEFAULT',
      sameCompany: 'yes',
      selected: ['SO:105-1'],
    });
    expect(contradicted).toContain('needs the software license transfer request form');
    expect(await database.db.select().from(transfers)).toHaveLength(1);
  });
});
