import { supportFooter } from '../../src/app/guides.js';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { actorReads, buildDecisionCard, isCardDecision } from '../../src/app/cards.js';
import type { AppDeps } from '../../src/app/deps.js';
import { dispatch, type Reply } from '../../src/app/dispatch.js';
import { startDraft } from '../../src/app/journey/drafts.js';
import { chooseDraft, REPLACED_MESSAGE } from '../../src/app/journey/in-progress.js';
import { failureMessage, trackChanges } from '../../src/app/failure.js';
import { identify, type Identified } from '../../src/app/identity.js';
import { measured } from '../../src/app/metrics.js';
import { defaultPersonEmail, inboxOf, peopleDirectory } from '../../src/app/people.js';
import { readerFor } from '../../src/app/reader.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { heading, personAddress, tr, translate, type Reader } from '../../src/i18n/index.js';
import { inputProblem, inputProblemMessage, shownBack } from '../../src/text/input-check.js';
import { renderCard } from './render-card.js';
import { renderRefusal, renderReply, type Button } from './render.js';
import { assetsFileOf, runFileNew } from './reference-file.js';
import { runWizard } from './wizard.js';

export interface ConsoleOptions {
  deps: AppDeps;
  input: Readable;
  output: Writable;
  /** A terminal: prompts, line editing and history. Otherwise one command per line, replies printed, exit at end. */
  interactive: boolean;
  as?: string | undefined;
  /** Called after each command that may have written to the outbox (the delivery worker's kick). */
  afterCommand?: () => Promise<void>;
  /** Where an unexpected failure's detail goes; the person only reads that something went wrong. */
  logger?: Logger;
  /**
   * On a database server: where the console says once, in its user's language, that it sends nothing
   * itself (the bot beside it delivers).
   */
  serverNote?: Writable | undefined;
}

/**
 * Text as the terminal shows it rather than obeys it: a name from the inventory or a reason someone typed
 * may hold an escape sequence (clear the screen, set the window title, hide text), a carriage return that
 * overwrites the line, or a right-to-left override; each is written as its code point (`U+001B`), as every
 * surface shows someone's words back (`shownBack`). Line feeds and tabs are the console's own layout.
 */
const terminalShown = shownBack;

function echoed(line: string): string {
  if (line.length <= 200) return line;
  const kept = [...line.slice(0, 201)].slice(0, 200).join('');
  return `${kept}… (${line.length.toLocaleString('en')} characters)`;
}

/**
 * The local console: the same commands and core as Slack and Teams, acting as any inventory
 * user, with buttons chosen by number and an inbox of what the bot sent the current user.
 */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: options.interactive,
    historySize: 200,
  });
  const lines = rl[Symbol.asyncIterator]();
  const say = (text: string) => options.output.write(`${terminalShown(text)}\n`);
  let me: Identified | null = null;
  // Until someone is identified: English, in the default zone.
  let reader: Reader = readerFor(undefined, {}, options.deps.config.defaultTimeZone);
  let buttons: Button[] = [];
  /** What the line being run has changed, for the message a failure gets. */
  let changes = trackChanges();
  /** Per user: the last outbox row shown in their inbox, to mark what is new. */
  const lastSeen = new Map<number, number>();

  // Once the input has ended (or Ctrl-C closed it) every later question gets no answer; lines already
  // read before the end are still answered in order.
  let ended = false;
  const ask = async (question: string): Promise<string | undefined> => {
    if (ended) return undefined;
    if (options.interactive) {
      rl.setPrompt(terminalShown(question));
      rl.prompt();
    } else {
      options.output.write(terminalShown(question));
    }
    for (;;) {
      const next = await lines.next();
      if (next.done) {
        ended = true;
        return undefined;
      }
      // A line read from a file is echoed, as a terminal would show it typed; at most its first 200
      // characters (a line of hundreds of megabytes is refused below, not printed back whole).
      if (!options.interactive) options.output.write(`${terminalShown(echoed(next.value))}\n`);
      // Every answer, a command or a wizard's, is checked here, once: a line the bot cannot take is
      // named and the same question asked again.
      const problem = inputProblem(next.value);
      if (!problem) return next.value;
      say(`✖ ${tr(reader, inputProblemMessage(problem))}`);
      if (options.interactive) rl.prompt();
      else options.output.write(terminalShown(question));
    }
  };

  const become = async (email: string): Promise<boolean> => {
    const found = await identify(options.deps, { surface: 'console', email });
    if (!found.ok) {
      say(renderRefusal(reader, found.refusal));
      return false;
    }
    me = found.value;
    reader = found.value.reader;
    say(translate(reader.locale, 'console:as', { person: personAddress(reader.locale, me.user) }));
    return true;
  };

  rl.on('SIGINT', () => rl.close());
  const first = options.as ?? (await defaultPersonEmail(options.deps));
  if (!first || !(await become(first))) {
    rl.close();
    return 1;
  }
  options.serverNote?.write(`${terminalShown(translate(reader.locale, 'console:onServer'))}\n`);
  if (options.interactive) say(translate(reader.locale, 'console:welcome'));

  const run = async (text: string): Promise<void> => {
    if (!me) return;
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      say(`✖ ${tr(reader, parsed.error)}`);
      return;
    }
    const actor = me.actor;
    const reply = await measured(
      'console',
      (r) => (r?.kind === 'refused' ? 'refused' : 'ok'),
      async () => {
        const command = parsed.command;
        const file = assetsFileOf(command);
        const changed = changes.mark;
        if (command.type === 'new' && file !== undefined)
          return runFileNew(options.deps, actor, reader, command, file, ask, say, changed);
        const answered = await dispatch(options.deps, actor, command, { reader, changed });
        if (answered.kind !== 'wizard') return answered;
        if (answered.replaces) say(`⚠ ${tr(reader, REPLACED_MESSAGE)}`);
        const draft = await startDraft(options.deps, actor, answered.state);
        return runWizard(options.deps, actor, reader, draft, ask, say, changed);
      },
    );
    await show(reply);
  };

  /** A command's or the wizard's reply, with its numbered buttons (none when the wizard was left). */
  const show = async (reply: Reply | null): Promise<void> => {
    if (!reply) return;
    const rendered = renderReply(reader, reply);
    say(rendered.text);
    buttons = rendered.buttons;
    showButtons();
    await options.afterCommand?.();
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
    if (button.draft && me) {
      // The offer of a request in progress, checked against the database when chosen.
      const chosen = await chooseDraft(options.deps, me.actor, button.draft.id, button.draft.choice);
      if (!chosen.ok) {
        say(`✖ ${tr(reader, chosen.gone)}`);
        return;
      }
      const actor = me.actor;
      await show(await runWizard(options.deps, actor, reader, chosen.draft, ask, say, changes.mark));
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
    const rows = await inboxOf(options.deps, me);
    if (rows.length === 0) say(translate(reader.locale, 'console:inbox.empty'));
    buttons = [];
    for (const row of rows) {
      const mark = row.id > (lastSeen.get(me.user.id) ?? 0) ? '● ' : '  ';
      const payload = row.payload;
      if (payload.type === 'message' && payload.text) {
        say(`${mark}${tr(reader, payload.text)}`);
        for (const line of payload.lines ?? []) say(`    ${tr(reader, line)}`);
      } else if (payload.type === 'card' && payload.transferId && isCardDecision(payload.decision)) {
        // As the person reads it: without buttons if they no longer hold the role it takes.
        const card = await buildDecisionCard(
          options.deps,
          payload.transferId,
          payload.decision,
          actorReads(me.actor),
        );
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
    const line = await ask(options.interactive ? `${me ? (me as Identified).user.name : '?'}> ` : '> ');
    if (line === undefined) break;
    const text = line.trim();
    if (!text) continue;
    changes = trackChanges();
    try {
      const [word, ...rest] = text.split(/\s+/);
      const keyword = word!.toLowerCase();
      if (keyword === 'quit' || keyword === 'exit') break;
      else if (keyword === 'as' && rest[0]) await become(rest[0]);
      else if (keyword === 'whoami' && me)
        say(
          translate(reader.locale, 'console:as', {
            person: personAddress(reader.locale, (me as Identified).user),
          }),
        );
      else if (keyword === 'users') say(await usersList(options.deps));
      else if (keyword === 'inbox') await inbox();
      else if (/^\d+$/.test(text)) await press(Number(text));
      else await run(text);
    } catch (err) {
      // The error's own text may quote SQL and its parameters: it goes to the log, never to the screen.
      options.logger?.error({ err }, 'console: command failed');
      say(`✖ ${tr(reader, failureMessage(changes.changed))}`);
      say(`  ${translate(reader.locale, 'console:detailsInLog')}`);
      say(`  ${supportFooter(reader.locale, options.deps.config.supportContact)}`);
    }
  }
  rl.close();
  return 0;
}

/** The `users` command: one line per person, with their language and roles. */
async function usersList(deps: AppDeps): Promise<string> {
  return (await peopleDirectory(deps))
    .map(
      (person) => `${person.email}  ${person.name}  [${person.locale ?? 'en'}]  ${person.roles.join(', ')}`,
    )
    .join('\n');
}
