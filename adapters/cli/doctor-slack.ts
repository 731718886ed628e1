import { readFileSync } from 'node:fs';
import type { webApi as SlackWebApi } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import type { Check } from './doctor.js';
import { explainSlackError } from './start-errors.js';
import { webApiFetch } from '../slack/web-fetch.js';
import { servedWorkspaces } from '../slack/workspaces.js';

/**
 * `transfer-bot doctor`'s Slack checks: the token, the workspaces served, its scopes against the manifest,
 * the mode, the compliance channel.
 */
/** The bot scopes manifest/slack.yaml asks for, read from its `oauth_config.scopes.bot` list. */
export function manifestBotScopes(yaml: string): string[] {
  const scopes: string[] = [];
  let inBot = false;
  let indent = -1;
  for (const line of yaml.split('\n')) {
    const item = /^(\s*)- ([a-z:._]+)/.exec(line);
    if (/^\s*bot:\s*(#.*)?$/.test(line)) {
      inBot = true;
      indent = -1;
      continue;
    }
    if (!inBot) continue;
    if (item && (indent === -1 || item[1]!.length === indent)) {
      indent = item[1]!.length;
      scopes.push(item[2]!);
    } else if (line.trim() !== '' && !line.trim().startsWith('#')) {
      inBot = false;
    }
  }
  return scopes;
}

const MANIFEST = new URL('../../manifest/slack.yaml', import.meta.url);

export async function slackChecks(config: Config): Promise<Check[]> {
  const ids = ['slack.token', 'slack.workspaces', 'slack.scopes', 'slack.mode', 'slack.compliance'];
  if (config.slackMode === 'off') {
    return [{ id: 'slack.token', status: 'skip', detail: 'not configured (SLACK_BOT_TOKEN unset)' }];
  }
  const { webApi } = await import('@slack/bolt');
  const options = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logger: quietLogger(webApi.LogLevel.ERROR),
    // The bot's own transport, so the check goes the way the bot's calls will.
    fetch: webApiFetch,
  };
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, options);
  const checks: Check[] = [];
  const refused = (id: string, err: unknown, token: 'bot' | 'app'): Check => {
    const explained = explainSlackError(err, config, token);
    return explained
      ? { id, status: 'fail', detail: explained.problem, fix: explained.fix }
      : { id, status: 'fail', detail: (err as Error).message, fix: 'check the SLACK_* settings' };
  };

  let auth: SlackWebApi.AuthTestResponse;
  try {
    auth = await client.auth.test();
  } catch (err) {
    const failed = refused('slack.token', err, 'bot');
    checks.push(failed);
    return [
      ...checks,
      ...ids.slice(1).map((id) => ({ id, status: 'skip' as const, detail: `not checked: ${failed.detail}` })),
    ];
  }
  checks.push({
    id: 'slack.token',
    status: 'pass',
    detail: `SLACK_BOT_TOKEN accepted by Slack: team ${auth.team ?? '?'} (${auth.team_id ?? '?'}), bot user @${auth.user ?? '?'} (${auth.user_id ?? '?'})`,
    data: {
      team: auth.team,
      teamId: auth.team_id,
      user: auth.user,
      userId: auth.user_id,
      botId: auth.bot_id,
    },
  });
  checks.push(workspacesCheck(config, auth));

  const wanted = manifestBotScopes(readFileSync(MANIFEST, 'utf8'));
  const granted = auth.response_metadata?.scopes;
  if (!granted) {
    checks.push({
      id: 'slack.scopes',
      status: 'warn',
      detail: 'Slack did not say which scopes the token has (no x-oauth-scopes header)',
      fix: `compare the app's OAuth & Permissions page with manifest/slack.yaml: ${wanted.join(', ')}`,
      data: { wanted },
    });
  } else {
    const missing = wanted.filter((s) => !granted.includes(s));
    checks.push(
      missing.length === 0
        ? {
            id: 'slack.scopes',
            status: 'pass',
            detail: `every scope of manifest/slack.yaml is granted (${wanted.join(', ')})`,
            data: { wanted, granted },
          }
        : {
            id: 'slack.scopes',
            status: 'fail',
            detail: `missing ${missing.join(', ')} (granted: ${granted.join(', ') || 'none'})`,
            fix: "add them on the app's OAuth & Permissions page (or update it from manifest/slack.yaml), reinstall the app and copy the new SLACK_BOT_TOKEN",
            data: { wanted, granted, missing },
          },
    );
  }

  if (config.slackMode === 'http') {
    checks.push({
      id: 'slack.mode',
      status: 'pass',
      detail:
        'over HTTP: SLACK_SIGNING_SECRET is set (Slack signs every request to POST /slack/events with it; a wrong one is refused with 401 and logged)',
    });
  } else {
    const appClient = new webApi.WebClient(config.SLACK_APP_TOKEN, options);
    try {
      await appClient.apps.connections.open();
      checks.push({
        id: 'slack.mode',
        status: 'pass',
        detail: 'Socket Mode: SLACK_APP_TOKEN accepted by Slack (apps.connections.open)',
      });
    } catch (err) {
      checks.push(refused('slack.mode', err, 'app'));
    }
  }

  const channel = config.SLACK_COMPLIANCE_CHANNEL;
  if (!channel) {
    checks.push({
      id: 'slack.compliance',
      status: 'pass',
      detail: 'SLACK_COMPLIANCE_CHANNEL not set: compliance cards go to each compliance officer directly',
    });
    return checks;
  }
  try {
    const info = await client.conversations.info({ channel });
    const name = info.channel?.name ? `#${info.channel.name}` : channel;
    checks.push(
      info.channel?.is_member
        ? {
            id: 'slack.compliance',
            status: 'pass',
            detail: `${name} (${channel}) exists and the bot is a member`,
          }
        : {
            id: 'slack.compliance',
            status: 'fail',
            detail: `the bot is not a member of ${name} (${channel})`,
            fix: `invite it: type /invite @${auth.user ?? 'the bot'} in that channel`,
          },
    );
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    if (code === 'channel_not_found') {
      checks.push({
        id: 'slack.compliance',
        status: 'fail',
        detail: `SLACK_COMPLIANCE_CHANNEL ${channel} was not found (channel_not_found)`,
        fix: "set it to the channel's ID (C…, at the bottom of the channel's details), not its name; a private channel is found once the bot is invited",
      });
    } else {
      checks.push(refused('slack.compliance', err, 'bot'));
    }
  }
  return checks;
}

/** Whose people the bot serves: its own workspace, as auth.test names it, and those SLACK_WORKSPACES lists. */
function workspacesCheck(config: Config, auth: SlackWebApi.AuthTestResponse): Check {
  const own = { team: auth.team_id, enterprise: auth.enterprise_id };
  const served = servedWorkspaces(own, config.SLACK_WORKSPACES);
  const ownIds = [own.team, own.enterprise].filter((id): id is string => Boolean(id));
  const listed = served.filter((id) => !ownIds.includes(id));
  const data = { own: ownIds, listed, served };
  if (ownIds.length === 0)
    return {
      id: 'slack.workspaces',
      status: 'warn',
      detail: `auth.test named no workspace for the token: ${listed.length ? `only ${listed.join(', ')} (SLACK_WORKSPACES) served` : 'nobody is served'}`,
      fix: "list your workspace's team ID (T…) or organisation ID (E…) in SLACK_WORKSPACES",
      data,
    };
  const ownText = own.team
    ? `its own workspace ${own.team}${own.enterprise ? ` and its organisation ${own.enterprise}` : ''}`
    : `its own organisation ${own.enterprise ?? ''}`;
  return {
    id: 'slack.workspaces',
    status: 'pass',
    detail: listed.length
      ? `serves the people of ${ownText}, and of ${listed.join(', ')} (SLACK_WORKSPACES), only`
      : `serves the people of ${ownText} only; people of other workspaces (Slack Connect channels) are refused, and SLACK_WORKSPACES lists those to serve`,
    data,
  };
}

/** The Web API client logs through this: the doctor's own lines say what failed. */
function quietLogger(level: SlackWebApi.LogLevel): SlackWebApi.Logger {
  const none = () => undefined;
  return {
    debug: none,
    info: none,
    warn: none,
    error: none,
    setLevel: none,
    getLevel: () => level,
    setName: none,
  };
}
