import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drafts } from '../../db/schema.js';
import { cardText, type AdaptiveCardJson } from '../support/bot-connector.js';
import {
  startTeamsWorld,
  submitButtons,
  teamsUser,
  type DialogTask,
  type TeamsWorld,
} from '../support/teams.js';
import { EMAILS } from '../support/world.js';
import { translate } from '../../src/i18n/index.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

describe('Teams: a request in progress is offered again', () => {
  let world: TeamsWorld;

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice, bob]);
  });
  afterAll(() => world?.close());

  const lastCard = (user = alice) => world.connector.cards(user.chat).at(-1)!.card;
  const draftsNow = () => world.database.db.select().from(drafts).where(eq(drafts.surface, 'teams'));
  const fetch = async (user: typeof alice, data: Record<string, unknown>) =>
    (await world.teams.invoke(user, 'task/fetch', { data })).body as DialogTask;
  const shown = (task: DialogTask): AdaptiveCardJson => {
    if (task.task.type !== 'continue') throw new Error(`closed: ${task.task.value}`);
    return task.task.value.card.content;
  };

  it('answers `new` alone with the draft’s start and progress, and Continue opens it where it was', async () => {
    await world.teams.message(alice, 'new from:fr-a.example');
    const [started] = await draftsNow();
    expect(started?.state).toMatchObject({ source: { smartAccount: 'fr-a.example' } });

    await world.teams.message(alice, 'new');
    const offer = lastCard();
    expect(cardText(offer)).toContain(
      'You have a request in progress, started 23 Nov 2026, 08:00 UTC (fr-a.example → …).',
    );
    const [go, over] = submitButtons(offer);
    expect([go?.title, over?.title]).toEqual(['Continue', 'Start over']);
    expect(go?.data).toMatchObject({
      msteams: { type: 'task/fetch' },
      wizard: { draft: started!.id },
      choice: 'continue',
    });
    expect((await draftsNow()).map((d) => d.id)).toEqual([started!.id]);

    const card = shown(await fetch(alice, go!.data));
    // The source was answered: the dialog asks the destination, on the same draft.
    expect(cardText(card)).toContain('Lumière Lyon (fr-a.example) (the source)');
    expect(submitButtons(card)[0]?.data).toMatchObject({ wizard: { draft: started!.id } });

    // Someone else's click on the same button opens nothing.
    const bobs = await fetch(bob, go!.data);
    expect(bobs.task).toEqual({ type: 'message', value: translate('en', 'core:journey.error.draftGone') });
    expect((await draftsNow()).map((d) => d.id)).toEqual([started!.id]);
  });

  it('Start over opens an empty dialog; the stale buttons then say the draft is gone', async () => {
    const [before] = await draftsNow();
    await world.teams.message(alice, 'new');
    const [go, over] = submitButtons(lastCard());
    const card = shown(await fetch(alice, over!.data));
    expect(cardText(card)).toContain('Source Smart Account');
    const [after] = await draftsNow();
    expect(after?.id).not.toBe(before!.id);
    expect(after?.state).toEqual({});
    for (const stale of [go!, over!]) {
      const task = await fetch(alice, stale.data);
      expect(task.task).toEqual({ type: 'message', value: translate('en', 'core:journey.error.draftGone') });
    }
    expect((await draftsNow()).map((d) => d.id)).toEqual([after!.id]);
  });

  it('`new` with options replaces the draft in progress and says so', async () => {
    await world.teams.message(alice, 'new from:fr-a.example');
    await world.teams.message(alice, 'new from:be.example');
    const entry = lastCard();
    expect(cardText(entry)).toContain(translate('en', 'core:journey.inProgress.replaced'));
    const [now] = await draftsNow();
    expect(now?.state).toMatchObject({ source: { smartAccount: 'be.example' } });
  });

  it('the list’s Request Asset Transfer button offers it first, in the dialog, whose Continue goes on with it', async () => {
    const [before] = await draftsNow();
    await world.teams.message(alice, 'list');
    const request = submitButtons(lastCard()).find((b) => b.title === 'Request Asset Transfer')!;
    const offer = shown(await fetch(alice, request.data));
    expect(cardText(offer)).toContain('(be.example → …)');
    const [go] = submitButtons(offer);
    expect(go).toMatchObject({
      title: 'Continue',
      data: { choice: 'continue', wizard: { draft: before!.id } },
    });
    expect(go?.data).not.toHaveProperty('msteams');
    expect((await draftsNow()).map((d) => d.id)).toEqual([before!.id]);

    const res = await world.teams.invoke(alice, 'task/submit', {
      data: go!.data,
      context: { theme: 'default' },
    });
    const card = shown(res.body as DialogTask);
    expect(cardText(card)).toContain('Lumière Belgique (be.example) (the source)');
    expect(submitButtons(card)[0]?.data).toMatchObject({ wizard: { draft: before!.id } });
  });
  it('an older card’s Request Asset Transfer button whose draft is gone offers the newer one, saying so', async () => {
    await world.teams.message(alice, 'new from:fr-a.example');
    const [older] = await draftsNow();
    const oldButton = submitButtons(lastCard()).find((b) => b.title === 'Request Asset Transfer')!;
    expect(oldButton.data).toMatchObject({ wizard: { draft: older!.id } });
    await world.teams.message(alice, 'new from:be.example');
    const [newer] = await draftsNow();
    expect(newer?.id).not.toBe(older!.id);

    const offer = shown(await fetch(alice, oldButton.data));
    expect(cardText(offer)).toContain(translate('en', 'core:journey.error.draftGone'));
    expect(cardText(offer)).toContain('(be.example → …)');
    const [go, over] = submitButtons(offer);
    expect([go?.title, over?.title]).toEqual(['Continue', 'Start over']);
    expect(go?.data).toMatchObject({ choice: 'continue', wizard: { draft: newer!.id } });
    expect((await draftsNow()).map((d) => d.id)).toEqual([newer!.id]);
  });

  it('an older dialog whose draft was replaced leaves the newer request as it is, saying the older one is gone', async () => {
    await world.teams.message(alice, 'new from:fr-a.example');
    const [older] = await draftsNow();
    const open = submitButtons(lastCard()).find((b) => b.title === 'Request Asset Transfer')!;
    const dialog = shown(await fetch(alice, open.data));
    const [next] = submitButtons(dialog);
    expect(next?.data).toMatchObject({ wizard: { draft: older!.id } });
    await world.teams.message(alice, 'new from:be.example same-company:yes');
    const [newer] = await draftsNow();

    // The older dialog's Next, with an answer: nothing of it is taken, and the newer request stays.
    const res = await world.teams.invoke(alice, 'task/submit', {
      data: { ...next!.data, destination: 'fr-b.example/DEFAULT' },
      context: { theme: 'default' },
    });
    expect(cardText(shown(res.body as DialogTask))).toContain(
      translate('en', 'core:journey.error.draftGone'),
    );
    const after = await draftsNow();
    expect(after.map((d) => d.id)).toEqual([newer!.id]);
    expect(after[0]?.state).toEqual(newer!.state);
    // Its own button still opens it where it was.
    const again = shown(await fetch(alice, { ...open.data, wizard: { draft: newer!.id } }));
    expect(cardText(again)).toContain('Lumière Belgique (be.example) (the source)');
  });
});
