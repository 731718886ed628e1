import { describe, expect, it } from 'vitest';
import { cardText, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { consoleSession, JOURNEYS, recorded } from '../support/journeys.js';
import {
  useTeamsWorld,
  submitButtons,
  teamsUser,
  type DialogTask,
  type TeamsUser,
} from '../support/teams.js';
import { EMAILS, type Name } from '../support/world.js';

const USERS: Partial<Record<Name, TeamsUser>> = {
  alice: teamsUser('alice', 'Alice Martin', EMAILS.alice),
  paul: teamsUser('paul', 'Paul Partner', EMAILS.paul),
};

const created = (text: string) => /AT-[0-9A-Z]{8}/.exec(text)?.[0];

describe.each(surfaceDrivers)('Teams: the journey table gives the console’s transfers (%s)', (driver) => {
  const world = useTeamsWorld(driver, Object.values(USERS));

  /**
   * The wizard in the Teams dialog, one answer per card: each line goes into the input of the step the
   * card was drawn at (the core's), then Next. The review has a button, not a typed answer: "yes" is
   * Submit for Review and any other line cannot be given there.
   */
  async function wizard(
    user: TeamsUser,
    lines: string[],
  ): Promise<{ id?: string; text: string; again: number }> {
    await world.teams.message(user, 'new');
    const entry = world.connector.cards(user.chat).at(-1)!.card;
    const open = submitButtons(entry).find((b) => b.title === 'Request Asset Transfer');
    expect(open, cardText(entry)).toBeDefined();
    let task = (await world.teams.invoke(user, 'task/fetch', { data: open!.data })).body as DialogTask;
    // Answers that drew the same step again (with the core's reason), and those a button stands for.
    let again = 0;
    const at = (card: AdaptiveCardJson) => {
      const next = submitButtons(card).find((b) => b.data['go'] === 'next' || b.data['go'] === 'submit');
      return next && { next, step: (next.data['wizard'] as { at: string }).at };
    };
    for (const line of lines) {
      if (task.task.type !== 'continue') throw new Error(`the dialog closed before “${line}”`);
      const current = at(task.task.value.card.content);
      if (!current)
        throw new Error(`no way forward for “${line}”: ${cardText(task.task.value.card.content)}`);
      if (current.step === 'review' && line !== 'yes') {
        again++;
        continue;
      }
      const values = current.step === 'review' ? {} : { [current.step]: line };
      const res = await world.teams.invoke(user, 'task/submit', {
        data: { ...current.next.data, ...values },
      });
      expect(res.status).toBe(200);
      task = res.body as DialogTask;
      if (task.task.type === 'continue' && at(task.task.value.card.content)?.step === current.step) again++;
    }
    if (task.task.type === 'continue') return { text: cardText(task.task.value.card.content), again };
    const text = JSON.stringify(task);
    const id = created(text);
    return id ? { id, text, again } : { text, again };
  }

  async function oneLine(user: TeamsUser, line: string): Promise<{ id?: string; text: string }> {
    const before = world.connector.posted(user.chat).length;
    await world.teams.message(user, line);
    const text = JSON.stringify(world.connector.posted(user.chat).slice(before));
    const id = created(text);
    return id ? { id, text } : { text };
  }

  it.each(JOURNEYS)('$name', async ({ as, answers, oneLine: line }) => {
    const user = USERS[as]!;
    const lines = answers.map((answer) => answer.text);
    const consoleOut = await consoleSession(world.database.db, as, ['new', ...lines]);
    const byConsole = created(consoleOut);
    if (byConsole) await consoleSession(world.database.db, as, [`cancel ${byConsole}`]);
    const byDialog = await wizard(user, lines);
    if (byDialog.id) await consoleSession(world.database.db, as, [`cancel ${byDialog.id}`]);
    const byLine = await oneLine(user, line);
    if (byLine.id) await consoleSession(world.database.db, as, [`cancel ${byLine.id}`]);
    expect(byConsole, consoleOut).toBeDefined();
    expect(byDialog.id, byDialog.text).toBeDefined();
    // Every answer the console's wizard refused, the dialog refused too (a review answer is a button there).
    expect(byDialog.again).toBe(consoleOut.split('✖').length - 1);
    expect(byLine.id, byLine.text).toBeDefined();
    const seen = { ...(await recorded(world.database.db, byConsole!)), status: 'cancelled' };
    expect(await recorded(world.database.db, byDialog.id!)).toEqual(seen);
    expect(await recorded(world.database.db, byLine.id!)).toEqual(seen);
  });
});
