import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { outbox, roleGrants, smartAccounts, users } from '../../db/schema.js';
import { buildDecisionCard, isCardDecision } from '../../src/app/cards.js';
import type { AppDeps } from '../../src/app/deps.js';
import { dispatch } from '../../src/app/dispatch.js';
import { identify, type Identified } from '../../src/app/identity.js';
import { measured } from '../../src/app/metrics.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { heading, tr, translate } from '../../src/i18n/index.js';
import { inputProblem, inputProblemMessage } from '../../src/text/input-check.js';
import { renderCard, renderRefusal, renderReply, type Button, type Reader } from './render.js';
import { runWizard } from './wizard.js';

export interface ConsoleOptions {
  deps: AppDeps;
  input: Readable;
  output: Writable;
  /** A terminal: prompts, line editing and history. Otherwise one command per line, replies printed, exit at end. */
  interactive: boolean;
  as?: string | undefined;
  defaultTimeZone: string;
  /** Called after each command that may have written to the outbox (the delivery worker's kick). */
  afterCommand?: () => Promise<void>;
  /** Where an unexpected failure's detail goes; the person only reads that something went wrong. */
  logger?: Logger;
}

/**
 * The local console (SPEC §7): the same commands and core as Slack and Teams, acting as any inventory
 * user, with buttons chosen by number and an inbox of what the bot sent the current user.
 */
export async function runConsole(o: ConsoleOptions): Promise<number> {
  const rl = createInterface({ input: o.input, output: o.output, terminal: o.interactive, historySize: 200 });
  const lines = rl[Symbol.asyncIterator]();
  const say = (text: string) => o.output.write(`${text}\n`);
  let me: Identified | null = null;
  let reader: Reader = { locale: 'en', timeZone: o.defaultTimeZone };
  let buttons: Button[] = [];
  /** Per user: the last outbox row shown in their inbox, to mark what is new. */
  const lastSeen = new Map<number, number>();

  // Once the input has ended (or Ctrl-C closed it) every later question gets no answer; lines already
  // read before the end are still answered in order.
  let ended = false;
  const ask = async (question: string): Promise<string | undefined> => {
    if (ended) return undefined;
    if (o.interactive) {
      rl.setPrompt(question);
      rl.prompt();
    } else {
      o.output.write(question);
    }
    for (;;) {
      const next = await lines.next();
      if (next.done) {
        ended = true;
        return undefined;
      }
      if (!o.interactive) o.output.write(`${next.value}\n`);
      // Every answer, a command or a wizard's, is checked here, once: a line the bot cannot take is
      // named and the same question asked again.
      const problem = inputProblem(next.value);
      if (!problem) return next.value;
      say(`✖ ${tr(reader.locale, inputProblemMessage(problem))}`);
      if (o.interactive) rl.prompt();
      else o.output.write(question);
    }
  };

  const become = async (email: string): Promise<boolean> => {
    const found = await identify(o.deps, { surface: 'console', email });
    if (!found.ok) {
      say(renderRefusal(reader, found.refusal));
      return false;
    }
    me = found.value;
    reader = { locale: found.value.locale, timeZone: found.value.user.timeZone ?? o.defaultTimeZone };
    say(translate(reader.locale, 'console:as', { name: me.user.name, email: me.user.email }));
    return true;
  };

  rl.on('SIGINT', () => rl.close());
  const first = o.as ?? (await firstUser(o.deps));
  if (!first || !(await become(first))) {
    rl.close();
    return 1;
  }
  if (o.interactive) say(translate(reader.locale, 'console:welcome'));

  const run = async (text: string): Promise<void> => {
    if (!me) return;
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      say(`✖ ${tr(reader.locale, parsed.error)}`);
      return;
    }
    const actor = me.actor;
    const reply = await measured(
      'console',
      (r) => (r?.kind === 'refused' ? 'refused' : 'ok'),
      async () =>
        parsed.command.type === 'new' && !parsed.command.complete
          ? runWizard(o.deps, actor, reader, parsed.command.prefill, ask, say)
          : dispatch(o.deps, actor, parsed.command),
    );
    if (!reply) return;
    const rendered = renderReply(reader, reply);
    say(rendered.text);
    buttons = rendered.buttons;
    showButtons();
    await o.afterCommand?.();
  };

  const showButtons = () => {
    if (buttons.length > 0) say(buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('  '));
  };

  const press = async (n: number): Promise<void> => {
    const button = buttons[n - 1];
    if (!button) {
      say(translate(reader.locale, 'console:noSuchButton', { n }));
      return;
    }
    let command = button.command;
    if (button.reason) {
      const label = heading(reader.locale, translate(reader.locale, 'common:field.reason'));
      const reason = (await ask(`${label} `))?.trim() ?? '';
      if (reason) command += ` reason:"${reason.replace(/"/g, "'")}"`;
    }
    await run(command);
  };

  const inbox = async (): Promise<void> => {
    if (!me) return;
    const rows = await inboxRows(o.deps, me);
    if (rows.length === 0) say(translate(reader.locale, 'console:inbox.empty'));
    buttons = [];
    for (const row of rows) {
      const mark = row.id > (lastSeen.get(me.user.id) ?? 0) ? '● ' : '  ';
      const payload = row.payload;
      if (payload.type === 'message' && payload.text) {
        say(`${mark}${tr(reader.locale, payload.text)}`);
        for (const line of payload.lines ?? []) say(`    ${tr(reader.locale, line)}`);
      } else if (payload.type === 'card' && payload.transferId && isCardDecision(payload.decision)) {
        const card = await buildDecisionCard(o.deps.db, payload.transferId, payload.decision);
        if (!card) continue;
        const rendered = renderCard(reader, card);
        const offset = buttons.length;
        say(`${mark}${rendered.text}`);
        say(rendered.buttons.map((b, i) => `[${offset + i + 1}] ${b.label}`).join('  '));
        buttons.push(...rendered.buttons);
      }
    }
    lastSeen.set(me.user.id, Math.max(lastSeen.get(me.user.id) ?? 0, ...rows.map((r) => r.id)));
  };

  for (;;) {
    const line = await ask(o.interactive ? `${me ? (me as Identified).user.name : '?'}> ` : '> ');
    if (line === undefined) break;
    const text = line.trim();
    if (!text) continue;
    try {
      const [word, ...rest] = text.split(/\s+/);
      const keyword = word!.toLowerCase();
      if (keyword === 'quit' || keyword === 'exit') break;
      else if (keyword === 'as' && rest[0]) await become(rest[0]);
      else if (keyword === 'whoami' && me)
        say(
          translate(reader.locale, 'console:as', {
            name: (me as Identified).user.name,
            email: (me as Identified).user.email,
          }),
        );
      else if (keyword === 'users') say(await usersList(o.deps));
      else if (keyword === 'inbox') await inbox();
      else if (/^\d+$/.test(text)) await press(Number(text));
      else await run(text);
    } catch (err) {
      // The error's own text may quote SQL and its parameters: it goes to the log, never to the screen.
      o.logger?.error({ err }, 'console: command failed');
      say(`✖ ${translate(reader.locale, 'console:internalError')}`);
    }
  }
  rl.close();
  return 0;
}

/** Without --as: the first administrator in the inventory (someone who can request), else the first user. */
async function firstUser(deps: AppDeps): Promise<string | undefined> {
  const [admin] = await deps.db
    .select({ email: users.email })
    .from(users)
    .innerJoin(roleGrants, and(eq(roleGrants.userId, users.id), eq(roleGrants.role, 'admin')))
    .orderBy(asc(users.id))
    .limit(1);
  if (admin) return admin.email;
  const [row] = await deps.db.select({ email: users.email }).from(users).orderBy(asc(users.id)).limit(1);
  return row?.email;
}

/** Messages and cards the bot addressed to this user (and to the compliance channel, for compliance officers). */
async function inboxRows(deps: AppDeps, me: Identified) {
  const mine = eq(outbox.recipientUserId, me.user.id);
  const where = me.actor.globalRoles.has('compliance')
    ? or(mine, and(isNull(outbox.recipientUserId), eq(outbox.recipientChannel, 'compliance')))
    : mine;
  const rows = await deps.db.select().from(outbox).where(where).orderBy(asc(outbox.id));
  return rows.slice(-30);
}

async function usersList(deps: AppDeps): Promise<string> {
  const people = await deps.db.select().from(users).orderBy(asc(users.id));
  const grants = await deps.db
    .select({ userId: roleGrants.userId, domain: smartAccounts.domain })
    .from(roleGrants)
    .innerJoin(smartAccounts, eq(smartAccounts.id, roleGrants.smartAccountId))
    .where(
      and(
        inArray(
          roleGrants.userId,
          people.map((p) => p.id),
        ),
        eq(roleGrants.role, 'admin'),
      ),
    );
  return people
    .map((p) => {
      const admin = grants.filter((g) => g.userId === p.id).map((g) => g.domain);
      const roles = [...admin.map((d) => `admin:${d}`), ...p.globalRoles].join(', ');
      return `${p.email}  ${p.name}  [${p.locale ?? 'en'}]  ${roles}`;
    })
    .join('\n');
}
