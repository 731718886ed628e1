import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as renderConsole } from '../../adapters/console/render.js';
import { renderReply as renderSlack } from '../../adapters/slack/render/reply.js';
import { ACTION, CALLBACK } from '../../adapters/slack/ids.js';
import { renderReply as renderTeams } from '../../adapters/teams/render/reply.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { DECISION_VERBS, REFRESH_VERB, TRANSFER_VERBS } from '../../adapters/teams/verbs.js';
import { dispatch } from '../../src/app/dispatch.js';
import { requestsTotal } from '../../src/app/metrics.js';
import { COMMAND_WORDS } from '../../src/commands/command.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { LOCALES, translate } from '../../src/i18n/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { databaseSnapshot } from '../support/snapshot.js';
import { startTeamsWorld, teamsUser, type TeamsWorld } from '../support/teams.js';
import { actor, EMAILS, seedWorld, testDeps } from '../support/world.js';
import { SLACK, startSlack, type SlackHarness } from '../slack/harness.js';

/**
 * Property-based runs over what people and platforms send: typed lines, Slack's interactive payloads,
 * Teams' invokes, built from the pieces the bot understands mixed with hostile ones. Whatever comes,
 * the bot must not crash or hang, must show no internal text, and must write nothing when it refuses
 * (a refused action adds only its `refused.*` line to the audit history, SPEC §10). Runs are bounded
 * so the suite stays quick; each run draws new cases.
 */

/** What a person must never read: stack frames, driver and runtime errors, unfilled templates. */
const INTERNAL =
  /Failed query|\n\s+at |\bat \S+ \(|TypeError|RangeError|SyntaxError|ZodError|\[object Object\]|\{\{|\bundefined\b|\bNaN\b/;

const HOSTILE = [
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uFFFE',
  '\uFFFF',
  '\u{10FFFF}',
  '<a ',
  '<at>',
  '&#99999999;',
  '&#0;',
  '"',
  '«',
  '「',
  "'",
  '\u200B',
  '😀',
  '../../etc/passwd',
  "'; drop table users; --",
  '=HYPERLINK("http://x")',
  'x'.repeat(3000),
];

// Random text without braces, so a case never types a template marker itself.
const anyText = fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => text.replace(/[{}]/g, ''));
const hostile = fc.constantFrom(...HOSTILE);
const fakeTransactionId = fc.constantFrom('AT-7F3K9QJ2', 'AT-00000000', 'at-zzzzzzzz', 'AT-', 'AT-7F3K9QJ2X');

const word = fc.oneof(
  fc.constantFrom(
    ...COMMAND_WORDS,
    'transfer',
    '/transfer',
    'ＬＩＳＴ',
    'approve',
    'reject',
    'licenses',
    'devices',
    'fr-a.example',
    'be.example/DEFAULT',
    'fr-b.example/Lab',
    'nowhere.example',
    'SO:100-1',
    'SO:100',
    'SN:FOC0001',
    'SUB:Sub-1',
    'PAK:PAK-1',
    'WO:WO-1',
    'from:',
    'to:',
    'assets:',
    'same-company:',
    'same-company:no',
    'transferee:',
    'justification:"',
    'terms:accept',
    'status:',
    'status:awaiting_consent',
    'reason:"',
    'reason：',
  ),
  fakeTransactionId,
  hostile,
  anyText,
);
const line = fc.array(word, { maxLength: 8 }).map((words) => words.join(' '));

/**
 * Every table but the audit history (with its refusal counts), the record of requests received (to
 * recognise them again), and the person's own settings (chat identities linked on first contact,
 * current account, conversation references, the request draft a click on the wizard's button starts).
 */
function stateOf(snapshot: Record<string, string[]>): Record<string, string[]> {
  const personal = new Set([
    'history',
    'refusal_counts',
    'work_items',
    'users',
    'user_identities',
    'conversation_refs',
    'drafts',
  ]);
  return Object.fromEntries(Object.entries(snapshot).filter(([table]) => !personal.has(table)));
}

function historyAdded(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  const known = new Set(before['history']);
  return (after['history'] ?? [])
    .filter((row) => !known.has(row))
    .map((row) => (JSON.parse(row) as { action: string }).action);
}

describe('fuzz: typed lines through the grammar, the core and every renderer', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedWorld(database.db);
  });
  afterAll(() => database?.dispose());

  it('parses any line without throwing, and says what is wrong in every language', () => {
    fc.assert(
      fc.property(fc.oneof(line, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const parsed = parseCommand(text);
        if (parsed.ok) return;
        for (const locale of LOCALES) {
          const said = translate(locale, parsed.error.key, parsed.error.params);
          expect(said).not.toBe(parsed.error.key);
          expect(said.replace(text, '')).not.toMatch(INTERNAL);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers any line with words for every surface, and writes nothing when it refuses', async () => {
    const deps = testDeps(database.db);
    const bob = await actor(database.db, 'bob');
    await fc.assert(
      fc.asyncProperty(line, async (text) => {
        const before = await databaseSnapshot(database.db);
        const parsed = parseCommand(text);
        if (!parsed.ok) {
          expect(await databaseSnapshot(database.db)).toEqual(before);
          return;
        }
        const reply = await dispatch(deps, bob, parsed.command);
        const after = await databaseSnapshot(database.db);
        if (reply.kind === 'refused') {
          expect(stateOf(after)).toEqual(stateOf(before));
          for (const action of historyAdded(before, after)) expect(action).toMatch(/^refused\./);
        }
        if (reply.kind === 'file') return;
        const shown = [
          JSON.stringify(renderSlack(reply, { locale: 'fr', timeZone: 'Europe/Paris' })),
          // Teams keeps a wizard's answers in a draft and draws only its button (bot.ts).
          reply.kind === 'wizard'
            ? ''
            : JSON.stringify(
                renderTeams(reply, textsFor({ locale: 'ja', timeZone: 'Asia/Tokyo' }), bob.userId),
              ),
          JSON.stringify(renderConsole({ locale: 'en', timeZone: 'UTC' }, reply)),
        ];
        for (const rendered of shown)
          expect(rendered.replace(JSON.stringify(text), '')).not.toMatch(INTERNAL);
      }),
      { numRuns: 120 },
    );
  });
});

/** How many Slack requests have finished (the Slack adapter counts each one as its work ends). */
async function slackRequestsFinished(): Promise<{ all: number; failed: number }> {
  const values = (await requestsTotal.get()).values.filter((v) => v.labels.surface === 'slack');
  return {
    all: values.reduce((sum, v) => sum + v.value, 0),
    failed: values.filter((v) => v.labels.outcome === 'error').reduce((sum, v) => sum + v.value, 0),
  };
}

const slackValue = fc.oneof(fakeTransactionId, hostile, anyText, fc.constant('fr-a.example'));

const slackPayload = fc.oneof(
  fc.record({
    type: fc.constant('block_actions'),
    actions: fc.array(
      fc.record({
        action_id: fc.oneof(fc.constantFrom(...Object.values(ACTION)), anyText),
        block_id: fc.oneof(fc.constantFrom('card:consent:transferee', 'card:compliance', 'b'), anyText),
        value: slackValue,
        type: fc.constant('button'),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    container: fc.constant({ type: 'message', channel_id: 'DFUZZ', message_ts: '1.1' }),
    channel: fc.constant({ id: 'DFUZZ' }),
    message: fc.constant({ ts: '1.1' }),
  }),
  fc.record({
    type: fc.constant('view_submission'),
    view: fc.record({
      id: fc.constant('VFUZZ'),
      type: fc.constant('modal'),
      callback_id: fc.oneof(fc.constantFrom(...Object.values(CALLBACK)), anyText),
      private_metadata: fc.oneof(
        anyText,
        hostile,
        fakeTransactionId.map((id) => JSON.stringify({ id, kind: 'consent', origin: { kind: 'home' } })),
      ),
      state: fc.record({
        values: fc.dictionary(
          fc.constantFrom('reason', 'source', 'destination', 'justification', 'search'),
          fc.dictionary(
            fc.constantFrom('reason', 'value', ACTION.wizardSource, ACTION.wizardJustification),
            fc.record({ type: fc.constant('plain_text_input'), value: slackValue }),
            { maxKeys: 2 },
          ),
          { maxKeys: 3 },
        ),
      }),
    }),
  }),
  fc.record({
    type: fc.constant('block_suggestion'),
    action_id: fc.oneof(fc.constantFrom(...Object.values(ACTION)), anyText),
    block_id: anyText,
    value: slackValue,
    view: fc.constant({ id: 'VFUZZ', type: 'modal', callback_id: CALLBACK.wizardAccounts }),
  }),
);

describe('fuzz: Slack interactive payloads, signed, through the real Bolt app', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack('pglite');
  });
  afterAll(() => h?.close());

  it('answers every payload without failing, shows no internal text, and refuses without writing', async () => {
    const before = await databaseSnapshot(h.database.db);
    const start = await slackRequestsFinished();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        slackPayload,
        fc.constantFrom(SLACK.alice.id, SLACK.bob.id, SLACK.cora.id),
        async (payload, user) => {
          const res = await h.interact({
            ...payload,
            user: { id: user, username: 'fuzz', team_id: 'T1' },
            trigger_id: 'trigger-fuzz',
          });
          sent += 1;
          expect(res.status).toBe(200);
          expect(await res.text()).not.toMatch(INTERNAL);
        },
      ),
      { numRuns: 100 },
    );
    // Work goes on after each ack: wait until the adapter has finished every request it took.
    const until = Date.now() + 20_000;
    while ((await slackRequestsFinished()).all < start.all + sent) {
      if (Date.now() > until) throw new Error('Slack requests still running');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await slackRequestsFinished()).failed).toBe(start.failed);
    const after = await databaseSnapshot(h.database.db);
    expect(stateOf(after)).toEqual(stateOf(before));
    for (const action of historyAdded(before, after)) expect(action).toMatch(/^refused\./);
    const generic = LOCALES.map((l) => translate(l, 'core:failure.nothingChanged'));
    for (const call of h.api.calls()) {
      const said = JSON.stringify(call.args);
      expect(said).not.toMatch(INTERNAL);
      for (const text of generic) expect(said).not.toContain(JSON.stringify(text).slice(1, -1));
    }
  });
});

const teamsData = fc.dictionary(
  fc.constantFrom('transactionId', 'decision', 'reason', 'card', 'step', 'source', 'command', 'wizard'),
  fc.oneof(
    slackValue,
    fc.constantFrom('consent:transferee', 'compliance', 'transfer'),
    fc.integer(),
    fc.constant(null),
  ),
  { maxKeys: 5 },
);

const teamsInvoke = fc.oneof(
  fc.record({
    name: fc.constant('adaptiveCard/action'),
    value: fc.record({
      action: fc.record({
        type: fc.constant('Action.Execute'),
        verb: fc.oneof(
          fc.constantFrom(...Object.keys(DECISION_VERBS), ...Object.keys(TRANSFER_VERBS), REFRESH_VERB),
          anyText,
        ),
        data: teamsData,
      }),
      trigger: fc.constant('manual'),
    }),
  }),
  fc.record({
    name: fc.constantFrom('task/fetch', 'task/submit'),
    value: fc.record({ data: teamsData }),
  }),
  fc.record({
    name: fc.constant('fileConsent/invoke'),
    value: fc.record({
      type: fc.constant('fileUpload'),
      action: fc.constantFrom('accept', 'decline', 'other'),
      context: fc.record({ offer: fc.oneof(anyText, hostile) }),
    }),
  }),
  fc.record({ name: anyText, value: fc.oneof(teamsData, hostile, fc.constant(null)) }),
);

describe('fuzz: Teams invokes and messages through the real botbuilder adapter', () => {
  const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'fr-FR');
  let world: TeamsWorld;
  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [bob]);
    await world.teams.message(bob, 'help');
  });
  afterAll(() => world?.close());

  it('answers every invoke and message without failing, shows no internal text, and refuses without writing', async () => {
    const before = await databaseSnapshot(world.database.db);
    const apology = LOCALES.map((l) => translate(l, 'core:failure.nothingChanged'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          teamsInvoke,
          line.map((text) => ({ text })),
        ),
        async (input) => {
          const res =
            'text' in input
              ? await world.teams.message(bob, input.text)
              : await world.teams.invoke(bob, input.name, input.value);
          expect(res.status === 200 || res.status === 400).toBe(true);
          const answered = JSON.stringify(res.body ?? '');
          expect(answered).not.toMatch(INTERNAL);
          for (const text of apology) expect(answered).not.toContain(text);
        },
      ),
      { numRuns: 120 },
    );
    const after = await databaseSnapshot(world.database.db);
    // Typed lines may do what they say (`use`, `new …`): only the invariants of refusals are checked here.
    expect(stateOf(after)['transfers']).toEqual(stateOf(before)['transfers']);
    for (const action of historyAdded(before, after)) expect(action).toMatch(/^refused\./);
    for (const reply of world.connector.requests) {
      const said = JSON.stringify(reply.body ?? '');
      expect(said).not.toMatch(INTERNAL);
      for (const text of apology) expect(said).not.toContain(text);
    }
  });
});
