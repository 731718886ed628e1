import { describe, expect, it } from 'vitest';
import { cardText, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { useTeamsWorld, submitButtons, teamsUser } from '../support/teams.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

describe.each(surfaceDrivers)('Teams: a whole selection in the one-line new (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice]);

  it('a one-line whole selection that opens the wizard keeps it in the draft and shows it on the review (nothing created)', async () => {
    type Continue = { task: { type: 'continue'; value: { card: { content: AdaptiveCardJson } } } };
    await world.teams.message(
      alice,
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:DEFAULT devices',
    );
    const open = submitButtons(world.connector.cards(alice.chat).at(-1)!.card).find((b) =>
      JSON.stringify(b.data).includes('task/fetch'),
    )!;
    // The button carries the draft holding the line's answers, not the answers.
    const entryDraft = (open.data['wizard'] as { draft: string }).draft;
    expect((await world.deps.store.drafts.load(entryDraft))?.state).toMatchObject({
      assets: { refs: [], whole: [{ virtualAccount: 'DEFAULT', kind: 'devices' }] },
    });
    let task = (await world.teams.invoke(alice, 'task/fetch', { data: open.data })).body as Continue;
    expect(cardText(task.task.value.card.content)).toContain('same company');
    const next = submitButtons(task.task.value.card.content).find((b) => b.data['go'] === 'next')!;
    task = (await world.teams.invoke(alice, 'task/submit', { data: { ...next.data, sameCompany: 'yes' } }))
      .body as Continue;
    const review = cardText(task.task.value.card.content);
    expect(review).toContain('Review and submit');
    expect(review).toContain('VA:DEFAULT devices');
    expect(review).toContain('DEFAULT: licenses 0 · devices 2');
    // What the whole selection takes in is counted, not the selection as one asset.
    expect(review).toContain('Selected: 2 assets');
    expect(review).toContain('SN:FOC0003');
    const draftId = (next.data['wizard'] as { draft: string }).draft;
    expect((await world.deps.store.drafts.load(draftId))?.state).toMatchObject({
      assets: { whole: [{ virtualAccount: 'DEFAULT', kind: 'devices' }] },
    });
  });

  it('answers with the transfer card, the count per Virtual Account and the assets left out with their reasons', async () => {
    const res = await world.teams.message(
      alice,
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:DEFAULT devices same-company:yes',
    );
    expect(res.status).toBe(200);
    const card = world.connector.cards(alice.chat).at(-1)?.card;
    if (!card) throw new Error('no card posted');
    const text = cardText(card);
    expect(text).toMatch(/Transaction AT-[0-9A-Z]{8} created/u);
    expect(text).toContain('DEFAULT: licenses 0 · devices 2');
    expect(text).toContain('SN:FOC0003');
    expect(text).toContain('SSM On-Prem');
  });
});
