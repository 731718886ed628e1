import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../adapters/cli/commands.js';
import { openRuntime } from '../../adapters/cli/compose.js';
import { manifestBotScopes } from '../../adapters/cli/doctor-slack.js';
import { formatReport, runDoctor, type DoctorReport } from '../../adapters/cli/doctor.js';
import { DEMO_INVENTORY } from '../../adapters/cli/demo-inventory.js';
import { loadConfig } from '../../src/config.js';
import { createHttpApp, listen } from '../../adapters/http/server.js';
import { freePort } from '../support/bot-process.js';
import { runInProcess } from '../support/cli.js';
import { copyEmbeddedTemplate } from '../support/db.js';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';
import { APP } from '../support/teams-production.js';
import { startSlackApi, type SlackApiStandIn } from '../support/slack-api.js';

const SCOPES = manifestBotScopes(
  readFileSync(join(import.meta.dirname, '..', '..', 'manifest', 'slack.yaml'), 'utf8'),
);
const SERVICE_URL = 'https://smba.example.test/emea/';
const NOW = new Date('2026-12-04T10:00:00Z'); // a Friday

const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id);

/** The command line's entry point, in this process (test/support/cli.ts). */
const cli = runInProcess;

describe('transfer-bot doctor', { timeout: 120_000 }, () => {
  let dir: string;
  let slack: SlackApiStandIn;
  let idp: IdentityProvider;
  /** A migrated embedded database holding the demo inventory and one Teams conversation. */
  let dataDir: string;
  let healthy: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-bot-doctor-'));
    slack = await startSlackApi();
    idp = await startIdentityProvider([APP]);
    dataDir = copyEmbeddedTemplate();
    const loaded = loadConfig({ DATA_DIR: dataDir });
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const runtime = await openRuntime(loaded.config, { migrate: true });
    try {
      await importFile(runtime.deps, DEMO_INVENTORY);
      await runtime.deps.store.conversations.save(
        '29:someone',
        { channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: 'a:chat-29:someone' } },
        new Date(),
      );
    } finally {
      await runtime.close();
    }
    healthy = {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      SLACK_BOT_TOKEN: 'xoxb-doctor-test-not-real-000',
      SLACK_SIGNING_SECRET: 'test-signing-secret-not-real-000',
      SLACK_API_URL: slack.apiUrl,
      SLACK_COMPLIANCE_CHANNEL: 'C0COMPLY',
      SLACK_WORKSPACES: 'T0PARTNER,E0PARTNER',
      MICROSOFT_APP_ID: APP.appId,
      MICROSOFT_APP_PASSWORD: APP.password,
      ...idp.cloudEnv(),
      TEAMS_COMPLIANCE_CONVERSATION_ID: '19:compliance@thread.tacv2',
      TEAMS_TENANTS: 'tenant-1,tenant-3',
      TZ_DEFAULT: 'Europe/Paris',
    };
    slack.addChannel({ id: 'C0COMPLY', name: 'compliance', isMember: true });
    slack.addChannel({ id: 'C0OUTSIDE', name: 'elsewhere', isMember: false });
  });

  afterAll(async () => {
    await slack?.close();
    await idp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every check of a sound installation, one line each, and says when reminders go next', async () => {
    slack.grantScopes(SCOPES);
    const report = await runDoctor(healthy, { now: NOW });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'config',
      'http.listen',
      'database.folder',
      'database.reachable',
      'database.migrations',
      'inventory.counts',
      'inventory.unlinked',
      'reminders.schedule',
      'slack.token',
      'slack.workspaces',
      'slack.scopes',
      'slack.mode',
      'slack.compliance',
      'teams.tenants',
      'teams.token',
      'teams.compliance',
    ]);
    const text = formatReport(report);
    expect(text.split('\n')).toHaveLength(report.checks.length + 1);
    expect(text).toContain(
      '✔ Slack token: SLACK_BOT_TOKEN accepted by Slack: team ? (T1), bot user @transfer-bot (UBOT)',
    );
    expect(text).toContain(
      '✔ Slack workspaces: serves the people of its own workspace T1, and of T0PARTNER, E0PARTNER (SLACK_WORKSPACES), only',
    );
    expect(text).toContain(
      '✔ Slack compliance channel: #compliance (C0COMPLY) exists and the bot is a member',
    );
    expect(text).toContain(
      `✔ Teams compliance conversation: 19:compliance@thread.tacv2 is reached through ${SERVICE_URL}`,
    );
    expect(text).toContain(`app ${APP.appId} obtained a token`);
    expect(text).toContain('✔ Teams tenants: serves tenants tenant-1, tenant-3 only');
    // 09:00 in Paris on working days: Monday, Tuesday, Wednesday after a Friday at 11:00 Paris time.
    expect(check(report, 'reminders.schedule')?.detail).toContain(
      'opens its next windows on Mon 2026-12-07 09:00, Tue 2026-12-08 09:00, Wed 2026-12-09 09:00 (Europe/Paris, TZ_DEFAULT)',
    );
    expect(check(report, 'inventory.counts')).toMatchObject({
      status: 'pass',
      data: { smartAccounts: expect.any(Number) },
    });
    expect((check(report, 'inventory.counts')?.data?.users as number) > 0).toBe(true);
    const unlinked = check(report, 'inventory.unlinked')!;
    expect(['pass', 'warn']).toContain(unlinked.status);
    expect((unlinked.data?.emails as string[]).length).toBe(Math.min(20, unlinked.data?.count as number));
  });

  it('warns when a multi-tenant Teams app names no tenant: any tenant that installs it is served', async () => {
    slack.grantScopes(SCOPES);
    const everyTenant = Object.fromEntries(
      Object.entries(healthy).filter(([name]) => name !== 'TEAMS_TENANTS'),
    );
    const report = await runDoctor(everyTenant, { now: NOW });
    expect(check(report, 'teams.tenants')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('TEAMS_TENANTS is not set'),
      fix: expect.stringContaining('TEAMS_TENANTS'),
    });
    expect(report.ok).toBe(true);
  });

  it('says that Slack serves the bot’s own workspace only when SLACK_WORKSPACES lists none', async () => {
    slack.grantScopes(SCOPES);
    const own = Object.fromEntries(Object.entries(healthy).filter(([name]) => name !== 'SLACK_WORKSPACES'));
    const report = await runDoctor(own, { now: NOW });
    expect(check(report, 'slack.workspaces')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(
        /^serves the people of its own workspace T1 only; people of other workspaces .* are refused/,
      ),
      data: { own: ['T1'], listed: [], served: ['T1'] },
    });
  });

  it('checks HOST and PORT as `start` listens on them, in its words, and names a running bot on the port', async () => {
    const line = (report: DoctorReport) =>
      formatReport(report)
        .split('\n')
        .find((l) => l.includes('HOST and PORT:'));
    expect(line(await runDoctor(healthy, { now: NOW }))).toBe(
      `✔ HOST and PORT: PORT ${healthy.PORT} on 127.0.0.1 is free for the bot to listen on`,
    );

    // What `start` refuses, with the same words it uses (start-errors.test.ts).
    const nowhere = await runDoctor({ ...healthy, HOST: 'not a host' }, { now: NOW });
    expect(nowhere.ok).toBe(false);
    expect(line(nowhere)).toBe(
      '✘ HOST and PORT: HOST not a host is not an address of this machine → set HOST, or leave it unset',
    );

    // Another program on the port: it takes connections and never answers.
    const other = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => other.listen(Number(healthy.PORT), '127.0.0.1', resolve));
    try {
      const taken = await runDoctor(healthy, { now: NOW });
      expect(taken.ok).toBe(false);
      expect(line(taken)).toBe(
        `✘ HOST and PORT: PORT ${healthy.PORT} on 127.0.0.1 is already in use by another process → stop it, or set PORT to a free port`,
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }

    // The bot's own HTTP server on that port: a bot already running there is no failure, and is said.
    const bot = await listen(createHttpApp({ ping: async () => true }), Number(healthy.PORT), '127.0.0.1');
    try {
      const running = await runDoctor(healthy, { now: NOW });
      expect(check(running, 'http.listen')).toMatchObject({ status: 'pass', data: { heldByBot: true } });
      expect(line(running)).toContain('is held by a running Asset Transfer Bot');
    } finally {
      await bot.close();
    }
  });

  it('refuses a token Slack refuses, naming the variable, the answer and the fix; exit 1 and JSON from the command line', async () => {
    slack.failNext('auth.test', { error: 'invalid_auth' });
    const report = await runDoctor(healthy, { now: NOW });
    expect(report.ok).toBe(false);
    expect(check(report, 'slack.token')).toMatchObject({
      status: 'fail',
      detail: 'SLACK_BOT_TOKEN was refused by Slack (invalid_auth)',
      fix: expect.stringContaining("Bot User OAuth Token from the app's OAuth & Permissions page"),
    });
    expect(check(report, 'slack.scopes')?.status).toBe('skip');
    expect(check(report, 'slack.workspaces')?.status).toBe('skip');

    const run = await cli(['doctor', '--json'], healthy);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as DoctorReport;
    expect(json.ok).toBe(true);
    slack.failNext('auth.test', { error: 'token_revoked' });
    const failing = await cli(['doctor'], healthy);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      '✘ Slack token: SLACK_BOT_TOKEN was refused by Slack (token_revoked) → copy',
    );
    expect(failing.stdout).toMatch(/1 check failed\.\n$/);
  });

  it('names the scopes the token lacks against the manifest, a channel the bot is not in, and one that does not exist', async () => {
    slack.grantScopes(SCOPES.filter((s) => s !== 'files:write' && s !== 'users:read.email'));
    const lacking = await runDoctor({ ...healthy, SLACK_COMPLIANCE_CHANNEL: 'C0OUTSIDE' }, { now: NOW });
    expect(check(lacking, 'slack.scopes')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^missing users:read\.email, files:write \(granted: commands, /),
    });
    expect(check(lacking, 'slack.compliance')).toMatchObject({
      status: 'fail',
      detail: 'the bot is not a member of #elsewhere (C0OUTSIDE)',
      fix: 'invite it: type /invite @transfer-bot in that channel',
    });
    slack.grantScopes(SCOPES);
    const missing = await runDoctor({ ...healthy, SLACK_COMPLIANCE_CHANNEL: 'compliance' }, { now: NOW });
    expect(check(missing, 'slack.compliance')).toMatchObject({
      status: 'fail',
      detail: 'SLACK_COMPLIANCE_CHANNEL compliance was not found (channel_not_found)',
    });
    expect(check(missing, 'slack.scopes')?.status).toBe('pass');
  });

  it('checks the app token in Socket Mode, and says when the Web API does not answer', async () => {
    slack.failNext('apps.connections.open', { error: 'invalid_auth' });
    const socket = await runDoctor(
      { ...healthy, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-doctor-test-not-real' },
      { now: NOW },
    );
    expect(check(socket, 'slack.mode')).toMatchObject({
      status: 'fail',
      detail: 'SLACK_APP_TOKEN was refused by Slack (invalid_auth)',
      fix: expect.stringContaining('connections:write'),
    });
    const nowhere = await runDoctor({ ...healthy, SLACK_API_URL: 'http://127.0.0.1:9/api/' }, { now: NOW });
    expect(check(nowhere, 'slack.token')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the Slack Web API at http://127.0.0.1:9/api/ did not answer'),
      fix: expect.stringContaining('SLACK_API_URL'),
    });
  });

  it('reports a Teams password the identity provider refuses, and local-testing mode loudly', async () => {
    const wrong = await runDoctor({ ...healthy, MICROSOFT_APP_PASSWORD: 'not-the-secret' }, { now: NOW });
    expect(check(wrong, 'teams.token')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('AADSTS7000215'),
      fix: expect.stringContaining('MICROSOFT_APP_PASSWORD'),
    });
    const env = Object.fromEntries(Object.entries(healthy).filter(([k]) => !k.startsWith('MICROSOFT_')));
    const local = await runDoctor({ ...env, TEAMS_ALLOW_UNAUTHENTICATED: 'true' }, { now: NOW });
    expect(formatReport(local)).toContain(
      '⚠ Teams: RUNNING WITHOUT AUTHENTICATION (TEAMS_ALLOW_UNAUTHENTICATED=true)',
    );
  });

  it('reports the database: held by another process, not created, not migrated, not answering, and bad settings', async () => {
    const held = copyEmbeddedTemplate('created'); // created, never migrated
    const unmigrated = await runDoctor({ DATA_DIR: held }, { now: NOW });
    expect(check(unmigrated, 'database.migrations')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^\d+ migrations not applied: 0000_init, 0001_guards/),
      fix: 'run `transfer-bot migrate` (the bot migrates on start too)',
    });

    writeFileSync(join(held, 'lock.pid'), String(process.ppid));
    const busy = await runDoctor({ DATA_DIR: held }, { now: NOW });
    expect(check(busy, 'database.folder')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`is held by process ${process.ppid}`),
    });
    expect(check(busy, 'database.migrations')?.status).toBe('skip');
    rmSync(join(held, 'lock.pid'));

    const none = await runDoctor({ DATA_DIR: join(dir, 'nothing-here') }, { now: NOW });
    expect(check(none, 'database.folder')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no embedded database'),
    });

    const down = await runDoctor({ DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' }, { now: NOW });
    expect(check(down, 'database.reachable')).toMatchObject({
      status: 'fail',
      detail:
        'the PostgreSQL server at postgres://nobody@127.0.0.1:9/none does not answer (connect ECONNREFUSED 127.0.0.1:9)',
      fix: 'check the host and port in DATABASE_URL, and that the server runs and this machine may reach it',
    });
    expect(check(down, 'database.migrations')?.detail).toBe('not checked: the database could not be opened');

    const bad = await runDoctor({ TZ_DEFAULT: 'Mars/Olympus', REMINDER_CRON: '0 9 31 2 *' });
    expect(bad.ok).toBe(false);
    expect(formatReport(bad)).toMatch(
      /^✘ configuration: TZ_DEFAULT: expected an IANA time zone.*REMINDER_CRON: .*it never fires/,
    );
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'on a PostgreSQL server that answers: names a database or a user it does not know, as `start` and `migrate` do',
    async () => {
      const url = (change: (url: URL) => void): string => {
        const u = new URL(process.env.TEST_DATABASE_URL!);
        change(u);
        return u.toString();
      };
      const noDatabase = url((u) => (u.pathname = '/transfer_bot_no_such_database'));
      const report = await runDoctor({ DATABASE_URL: noDatabase }, { now: NOW });
      expect(check(report, 'database.reachable')).toMatchObject({
        status: 'fail',
        detail: `the PostgreSQL server at ${noDatabase} answered: database "transfer_bot_no_such_database" does not exist`,
        fix: expect.stringMatching(/^create that database on the server .*correct the database name/),
      });
      const migrated = await cli(['migrate'], { DATABASE_URL: noDatabase, DATA_DIR: dir });
      expect(migrated.stderr).toContain(
        'answered: database "transfer_bot_no_such_database" does not exist: create that database',
      );

      const noRole = url((u) => (u.username = 'transfer_bot_no_such_role'));
      const refused = await runDoctor({ DATABASE_URL: noRole }, { now: NOW });
      expect(check(refused, 'database.reachable')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('answered: role "transfer_bot_no_such_role" does not exist'),
        fix: expect.stringMatching(/^check the user and password in DATABASE_URL/),
      });
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'on a PostgreSQL server: lists the migrations a new database lacks',
    async () => {
      const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => undefined });
      const name = `transfer_bot_doctor_${process.pid}`;
      await admin.unsafe(`drop database if exists "${name}"`);
      await admin.unsafe(`create database "${name}"`);
      try {
        const url = new URL(process.env.TEST_DATABASE_URL!);
        url.pathname = `/${name}`;
        const report = await runDoctor({ DATABASE_URL: url.toString() }, { now: NOW });
        expect(check(report, 'database.reachable')?.status).toBe('pass');
        expect(check(report, 'database.migrations')?.detail).toMatch(/migrations not applied: 0000_init/);
        expect(check(report, 'inventory.counts')).toEqual({
          id: 'inventory.counts',
          status: 'skip',
          detail: 'not checked: migrations are pending',
        });
        expect(check(report, 'inventory.unlinked')?.detail).toBe('not checked: migrations are pending');
      } finally {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    },
  );
});
