import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import {
  allAnsweredInTeams,
  pollUntil,
  postSignedCommand,
  SIGNING_SECRET,
  TEAMS_ONLY,
  typedInTeams,
  useSlackProcesses,
  type BotProcess,
} from '../support/bot-process.js';
import type { SlackApiStandIn } from '../support/slack-api.js';

let commands = 0;

/** A signed `/transfer help` from a person of its own (so each one asks Slack who they are); answers the response_url. */
async function command(
  bot: BotProcess,
  slack: SlackApiStandIn,
): Promise<{ status: number; responseUrl: string }> {
  const n = ++commands;
  const responseUrl = slack.responseUrl();
  const res = await postSignedCommand(bot, SIGNING_SECRET, {
    text: 'help',
    user_id: `UNEW${n}`,
    response_url: responseUrl,
    trigger_id: `trigger-${n}`,
  });
  return { status: res.status, responseUrl };
}

function answersTo(slack: SlackApiStandIn, responseUrl: string): number {
  const path = new URL(responseUrl).pathname;
  return slack.calls('response_url').filter((c) => c.args.path === path).length;
}

function allAnswered(slack: SlackApiStandIn, urls: string[], timeoutMs: number): Promise<void> {
  const unanswered = () => urls.filter((u) => answersTo(slack, u) === 0);
  return pollUntil(
    () => unanswered().length === 0,
    timeoutMs,
    () => `never answered: ${unanswered().join(', ')}`,
  );
}

// One bot serving Slack and Teams, as an operator may run it: the processes it takes to prove that
// acknowledged work outlives a killed process are started once for both surfaces. (On PostgreSQL, with the
// server out of reach, see teams-acknowledged-work.test.ts.)
describe('acknowledged Slack commands and Teams messages survive the process that acknowledged them (embedded database)', () => {
  /** A data folder already migrated (a copy of the run's template): the processes start on it as on any. */
  const processes = useSlackProcesses();
  let connector: BotConnector;
  beforeAll(async () => {
    connector = await startBotConnector();
  });
  afterAll(() => connector.close());

  it('killed with SIGKILL after the ack: the next process to start answers every command and message, once', async () => {
    const { slack } = processes;
    const first = await processes.start(TEAMS_ONLY);
    // Asking Slack or Teams who each person is hangs: the commands and messages are acknowledged, and
    // their answers not yet sent.
    const release = slack.hold('users.info');
    connector.slowRoster(60_000);
    const started = Date.now();
    const [sent, typed] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => command(first, slack))),
      Promise.all(Array.from({ length: 5 }, () => typedInTeams(first, connector))),
    ]);
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    expect(typed.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    // The 200 waits for the record only, not for the answer (the roster would take a minute).
    expect(Date.now() - started).toBeLessThan(20_000);
    first.child.kill('SIGKILL');
    await first.exit;
    const urls = sent.map((s) => s.responseUrl);
    const chats = typed.map((s) => s.chat);
    expect(urls.map((u) => answersTo(slack, u))).toEqual([0, 0, 0, 0, 0]);
    expect(chats.map((chat) => connector.posted(chat).length)).toEqual([0, 0, 0, 0, 0]);

    release();
    connector.slowRoster(0);
    const second = await processes.start(TEAMS_ONLY);
    await allAnswered(slack, urls, 30_000);
    await allAnsweredInTeams(connector, chats, 30_000);
    expect(urls.map((u) => answersTo(slack, u))).toEqual([1, 1, 1, 1, 1]);

    // SIGTERM under load: what is running finishes, what waits is handed over, and the process exits 0 in time.
    slack.slowDown('users.info', 2000);
    const load = await Promise.all(Array.from({ length: 12 }, () => command(second, slack)));
    expect(load.every((s) => s.status === 200)).toBe(true);
    const stopping = Date.now();
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    // Stopped, it had finished what it still had in hand from Teams: one answer each, a reply to its message.
    expect(chats.map((chat) => connector.posted(chat).map((r) => r.activityId))).toEqual(
      typed.map((s) => [s.id]),
    );

    slack.slowDown('users.info', 0);
    const third = await processes.start(TEAMS_ONLY);
    const loadUrls = load.map((s) => s.responseUrl);
    await allAnswered(slack, loadUrls, 30_000);
    // Once the process has stopped, whatever it still had in hand has been answered too: still one each.
    third.child.kill('SIGTERM');
    expect(await third.exit).toBe(0);
    expect(loadUrls.map((u) => answersTo(slack, u))).toEqual(loadUrls.map(() => 1));
    expect(urls.map((u) => answersTo(slack, u))).toEqual([1, 1, 1, 1, 1]);
    expect(chats.map((chat) => connector.posted(chat).length)).toEqual([1, 1, 1, 1, 1]);
  }, 300_000);
});
