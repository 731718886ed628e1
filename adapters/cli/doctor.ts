import { inventoryCensus } from '../../src/app/inventory.js';
import { loadConfig, type Config } from '../../src/config.js';
import { ReminderSchedule } from '../../src/schedule/reminder-schedule.js';
import { embeddedState, openFailure, openRuntime, type Runtime } from './compose.js';
import { listenCheck } from './doctor-listen.js';
import { slackChecks } from './doctor-slack.js';
import { teamsChecks } from './doctor-teams.js';

/**
 * `transfer-bot doctor`: every setting the bot depends on, checked the way the bot uses it, one line each.
 * Nothing is changed: the database is neither created nor migrated, no message is sent.
 */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Check {
  id: string;
  status: CheckStatus;
  /** What was found, with the service's own answer when it refused. */
  detail: string;
  /** What to do about it (failures and warnings). */
  fix?: string;
  /** The figures behind the line, for scripts (`--json`). */
  data?: Record<string, unknown>;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
}

const MARK: Record<CheckStatus, string> = { pass: '✔', fail: '✘', warn: '⚠', skip: '–' };

const LABEL: Record<string, string> = {
  config: 'configuration',
  'http.listen': 'HOST and PORT',
  'database.folder': 'embedded database folder',
  'database.reachable': 'database',
  'database.migrations': 'migrations',
  'inventory.counts': 'inventory',
  'inventory.unlinked': 'people without a chat identity',
  'reminders.schedule': 'reminder schedule',
  'slack.token': 'Slack token',
  'slack.workspaces': 'Slack workspaces',
  'slack.scopes': 'Slack scopes',
  'slack.mode': 'Slack mode',
  'slack.compliance': 'Slack compliance channel',
  'teams.mode': 'Teams',
  'teams.token': 'Teams token',
  'teams.tenants': 'Teams tenants',
  'teams.compliance': 'Teams compliance conversation',
};

/** One line per check: mark, what, what was found, and → what to do. */
export function formatReport(report: DoctorReport): string {
  const lines = report.checks.map((c) => {
    const fix = c.fix && (c.status === 'fail' || c.status === 'warn') ? ` → ${c.fix}` : '';
    return `${MARK[c.status]} ${LABEL[c.id] ?? c.id}: ${c.detail}${fix}`;
  });
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  return lines.join('\n');
}

export interface DoctorOptions {
  now?: Date;
}

export async function runDoctor(env: NodeJS.ProcessEnv, options: DoctorOptions = {}): Promise<DoctorReport> {
  const now = options.now ?? new Date();
  const checks: Check[] = [];
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    checks.push({
      id: 'config',
      status: 'fail',
      detail: loaded.errors.join('; '),
      fix: 'correct those variables (README, Configuration); nothing else can be checked until they parse',
    });
    return { ok: false, checks };
  }
  const config = loaded.config;
  checks.push({ id: 'config', status: 'pass', detail: describeConfig(config) });
  checks.push(await listenCheck(config));
  const database = await databaseChecks(config);
  checks.push(...database.checks);
  checks.push(reminderCheck(config, now));
  checks.push(...(await slackChecks(config)));
  checks.push(...(await teamsChecks(config, database.teamsServiceUrl)));
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

function describeConfig(config: Config): string {
  const surfaces = [
    config.slackMode === 'http'
      ? 'Slack over HTTP'
      : config.slackMode === 'socket'
        ? 'Slack over Socket Mode'
        : '',
    config.teamsEnabled ? (config.MICROSOFT_APP_ID ? 'Teams' : 'Teams without authentication') : '',
  ].filter(Boolean);
  const database = config.DATABASE_URL
    ? 'a PostgreSQL server'
    : `the embedded database in ${config.DATA_DIR}`;
  return `every variable parses; ${surfaces.length ? surfaces.join(' and ') : 'no chat platform (the console)'}, on ${database}`;
}

// ---------------------------------------------------------------------------------------------- database

interface DatabaseFindings {
  checks: Check[];
  /** Where Teams is reached, learnt from its traffic and kept in the database (undefined: not known). */
  teamsServiceUrl?: string | undefined;
}

async function databaseChecks(config: Config): Promise<DatabaseFindings> {
  const checks: Check[] = [];
  const notOpen = (why: string): Check[] =>
    ['database.migrations', 'inventory.counts', 'inventory.unlinked'].map((id) => ({
      id,
      status: 'skip' as const,
      detail: `not checked: ${why}`,
    }));
  const embedded = embeddedState(config);
  if (embedded) {
    if (embedded.holder !== undefined) {
      checks.push({
        id: 'database.folder',
        status: 'fail',
        detail: `${embedded.where} is held by process ${embedded.holder}`,
        fix: 'stop that process (a running bot holds it) and run the doctor again, or use DATABASE_URL',
        data: { where: embedded.where, holder: embedded.holder },
      });
      return { checks: [...checks, ...notOpen('the embedded database is in use')] };
    }
    if (!embedded.exists) {
      checks.push({
        id: 'database.folder',
        status: 'fail',
        detail: `no embedded database in ${embedded.where} yet`,
        fix: '`transfer-bot migrate` creates it (so does `transfer-bot start`), or set DATA_DIR to where it is',
        data: { where: embedded.where },
      });
      return { checks: [...checks, ...notOpen('there is no database yet')] };
    }
    checks.push({
      id: 'database.folder',
      status: 'pass',
      detail: `${embedded.where}, not held by another process`,
      data: { where: embedded.where },
    });
  }
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, { migrate: false });
  } catch (err) {
    const failed = openFailure(err, config);
    checks.push({
      id: 'database.reachable',
      status: 'fail',
      detail: failed.detail,
      fix: failed.fix,
    });
    return { checks: [...checks, ...notOpen('the database could not be opened')] };
  }
  try {
    checks.push({
      id: 'database.reachable',
      status: 'pass',
      detail: `the ${runtime.kind === 'postgres' ? 'PostgreSQL server' : 'embedded database'} at ${runtime.where} answers`,
      data: { kind: runtime.kind, where: runtime.where },
    });
    const pending = await runtime.pendingMigrations();
    checks.push(
      pending.length === 0
        ? { id: 'database.migrations', status: 'pass', detail: 'every migration of this version is applied' }
        : {
            id: 'database.migrations',
            status: 'fail',
            detail: `${pending.length} migration${pending.length === 1 ? '' : 's'} not applied: ${pending.join(', ')}`,
            fix: 'run `transfer-bot migrate` (the bot migrates on start too)',
            data: { pending },
          },
    );
    checks.push(...(await inventoryChecks(runtime, pending.length > 0)));
    const teamsServiceUrl =
      config.teamsEnabled && pending.length === 0 ? await teamsEndpoint(runtime) : undefined;
    return { checks, teamsServiceUrl };
  } finally {
    await runtime.close();
  }
}

async function teamsEndpoint(runtime: Runtime): Promise<string | undefined> {
  const { createRefStore } = await import('../teams/refs.js');
  return (await createRefStore(runtime.deps.store, runtime.deps.now).endpoint())?.serviceUrl;
}

async function inventoryChecks(runtime: Runtime, pending: boolean): Promise<Check[]> {
  let census: Awaited<ReturnType<typeof inventoryCensus>>;
  try {
    census = await inventoryCensus(runtime.deps);
  } catch (err) {
    // A database that lacks this version's tables cannot say what they hold: that is the migrations' line.
    if (pending)
      return ['inventory.counts', 'inventory.unlinked'].map((id) => ({
        id,
        status: 'skip' as const,
        detail: 'not checked: migrations are pending',
      }));
    return [
      {
        id: 'inventory.counts',
        status: 'fail',
        detail: `cannot read the inventory (${(err as Error).message.split('\n')[0]})`,
        fix: 'run `transfer-bot migrate`',
      },
    ];
  }
  const { counts, unlinked } = census;
  const checks: Check[] = [];
  const summary = `${counts.legalEntities} legal entities, ${counts.smartAccounts} Smart Accounts, ${counts.virtualAccounts} Virtual Accounts, ${counts.users} people, ${counts.licenses} license lines, ${counts.devices} devices`;
  checks.push(
    counts.users === 0 || counts.smartAccounts === 0
      ? {
          id: 'inventory.counts',
          status: 'fail',
          detail: `the inventory is empty (${summary})`,
          fix: 'load one with `transfer-bot import FILE`',
          data: { ...counts },
        }
      : { id: 'inventory.counts', status: 'pass', detail: summary, data: { ...counts } },
  );
  if (unlinked.count === 0) {
    checks.push({
      id: 'inventory.unlinked',
      status: 'pass',
      detail: 'none: everyone has a Slack or Teams id',
      data: { count: 0, emails: [] },
    });
  } else {
    const more =
      unlinked.count > unlinked.emails.length ? ` and ${unlinked.count - unlinked.emails.length} more` : '';
    checks.push({
      id: 'inventory.unlinked',
      status: 'warn',
      detail: `${unlinked.count}: ${unlinked.emails.join(', ')}${more}`,
      fix: 'they are matched by e-mail when they first write to the bot or are first notified; give their slackUserId or teamsUserId in the inventory to reach them before that',
      data: { count: unlinked.count, emails: unlinked.emails },
    });
  }
  return checks;
}

// --------------------------------------------------------------------------------------------- reminders

/** `Mon 2026-12-07 09:00` on the zone's clock. */
export function wallClock(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function reminderCheck(config: Config, now: Date): Check {
  const schedule = new ReminderSchedule(config.REMINDER_CRON);
  const next = schedule.nextFires(now, config.TZ_DEFAULT, 3);
  return {
    id: 'reminders.schedule',
    status: 'pass',
    detail: `REMINDER_CRON "${config.REMINDER_CRON}" opens its next windows on ${next.map((d) => wallClock(d, config.TZ_DEFAULT)).join(', ')} (${config.TZ_DEFAULT}, TZ_DEFAULT)`,
    data: {
      expression: config.REMINDER_CRON,
      timeZone: config.TZ_DEFAULT,
      next: next.map((d) => d.toISOString()),
    },
  };
}
