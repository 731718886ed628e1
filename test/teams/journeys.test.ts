import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { loadTransferView } from '../../src/app/views.js';
import { cardText, type AdaptiveCardJson, type BotConnector } from '../support/bot-connector.js';
import { drivers } from '../support/db.js';
import { JOURNEYS } from '../support/journeys.js';
import {
  startTeamsWorld,
  teamsUser,
  type TeamsClient,
  type TeamsUser,
  type TeamsWorld,
} from '../support/teams.js';
import { EMAILS, testDeps, type Name } from '../support/world.js';

const USERS: Partial<Record<Name, TeamsUser>> = {
  alice: teamsUser('alice', 'Alice Martin', EMAILS.alice),
  paul: teamsUser('paul', 'Paul Partner', EMAILS.paul),
};

type Task =
  | { task: { type: 'continue'; value: { card: { content: AdaptiveCardJson } } } }
  | { task: { type: 'message'; value: string } };

/** The card's buttons: their title and the data they send back. */
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

const created = (text: string) => /AT-[0-9A-Z]{8}/.exec(text)?.[0];

describe.each(drivers)('Teams: the journey table gives the console’s transfers (%s)', (driver) => {
  let world: TeamsWorld;
  let connector: BotConnector;
  let teams: TeamsClient;

  beforeAll(async () => {
    world = await startTeamsWorld(driver, Object.values(USERS));
    ({ connector, teams } = world);
  });
  afterAll(() => world?.close());

  /** What consenters and the record see of a request, and who will be asked to consent. */
  async function recorded(id: string) {
    const deps = testDeps(world.database.db);
    const view = await loadTransferView(deps, id, null);
    const row = await deps.store.transfers.loadRow(id);
    if (!view || !row) throw new Error(`no transfer ${id}`);
    return {
      status: view.status,
      source: view.source.domain,
      destination: `${view.destination.domain}/${view.destinationVirtualAccount}`,
      sameLegalEntity: view.sameLegalEntity,
      requestedByPartner: view.requestedByPartner,
      transferee: view.transferee?.email ?? null,
      transferorId: row.transferorId,
      justification: view.justification,
      transfereeLegalName: view.transfereeLegalName,
      transfereeAddress: view.transfereeAddress,
      termsAccepted: view.termsAccepted?.by.email ?? null,
      items: view.items.map((i) => i.ref).sort(),
    };
  }

  async function console(as: Name, lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    input.end(`${lines.join('\n')}\n`);
    const deps = testDeps(world.database.db);
    await runConsole({ deps, input, output, interactive: false, as: EMAILS[as] });
    return out;
  }

  /**
   * The wizard in the Teams dialog, one answer per card: each line goes into the input of the step the
   * card was drawn at (the core's), then Next. The review has a button, not a typed answer: "yes" is
   * Submit for Review and any other line cannot be given there.
   */
  async function wizard(
    user: TeamsUser,
    lines: string[],
  ): Promise<{ id?: string; text: string; again: number }> {
    await teams.message(user, 'new');
    const entry = connector.cards(user.chat).at(-1)!.card;
    const open = buttons(entry).find((b) => b.title === 'Request Asset Transfer');
    expect(open, cardText(entry)).toBeDefined();
    let task = (await teams.invoke(user, 'task/fetch', { data: open!.data })).body as Task;
    // Answers that drew the same step again (with the core's reason), and those a button stands for.
    let again = 0;
    const at = (card: AdaptiveCardJson) => {
      const next = buttons(card).find((b) => b.data['go'] === 'next' || b.data['go'] === 'submit');
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
      const res = await teams.invoke(user, 'task/submit', { data: { ...current.next.data, ...values } });
      expect(res.status).toBe(200);
      task = res.body as Task;
      if (task.task.type === 'continue' && at(task.task.value.card.content)?.step === current.step) again++;
    }
    if (task.task.type === 'continue') return { text: cardText(task.task.value.card.content), again };
    const text = JSON.stringify(task);
    const id = created(text);
    return id ? { id, text, again } : { text, again };
  }

  async function oneLine(user: TeamsUser, line: string): Promise<{ id?: string; text: string }> {
    const before = connector.posted(user.chat).length;
    await teams.message(user, line);
    const text = JSON.stringify(connector.posted(user.chat).slice(before));
    const id = created(text);
    return id ? { id, text } : { text };
  }

  it.each(JOURNEYS)('$name', async ({ as, answers, oneLine: line }) => {
    const user = USERS[as]!;
    const lines = answers.map((answer) => answer.text);
    const consoleOut = await console(as, ['new', ...lines]);
    const byConsole = created(consoleOut);
    if (byConsole) await console(as, [`cancel ${byConsole}`]);
    const byDialog = await wizard(user, lines);
    if (byDialog.id) await console(as, [`cancel ${byDialog.id}`]);
    const byLine = await oneLine(user, line);
    if (byLine.id) await console(as, [`cancel ${byLine.id}`]);
    expect(byConsole, consoleOut).toBeDefined();
    expect(byDialog.id, byDialog.text).toBeDefined();
    // Every answer the console's wizard refused, the dialog refused too (a review answer is a button there).
    expect(byDialog.again).toBe(consoleOut.split('✖').length - 1);
    expect(byLine.id, byLine.text).toBeDefined();
    const seen = { ...(await recorded(byConsole!)), status: 'cancelled' };
    expect(await recorded(byDialog.id!)).toEqual(seen);
    expect(await recorded(byLine.id!)).toEqual(seen);
  });
});
