import type { Config } from '../../src/config.js';
import { UserError } from './runtime.js';

/** What every failed start ends with: the command that checks each setting in turn. */
export const DOCTOR_HINT = 'run `transfer-bot doctor` to check every setting';

/** One line on stderr: what failed, what the service answered, what to do, and the doctor. */
export function startFailure(text: string): UserError {
  return new UserError(`transfer-bot: ${text.replace(/\s*\n\s*/g, ' ')}; ${DOCTOR_HINT}`);
}

/** The step of a start that failed; Slack's answers mean different things depending on the token used. */
export type StartStep = 'slack-auth' | 'slack-socket' | 'listen' | 'teams';

interface SlackErrorShape {
  code?: unknown;
  data?: { error?: unknown };
  original?: { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  statusCode?: unknown;
  retryAfter?: unknown;
}

/** Slack's error codes that mean a token was not accepted as it stands. */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'org_login_required',
  'ekm_access_denied',
  'team_access_not_granted',
]);

const BOT_TOKEN_FIX =
  "copy the Bot User OAuth Token from the app's OAuth & Permissions page (reinstall the app if it was revoked)";
const APP_TOKEN_FIX =
  "create an app-level token with the connections:write scope on the app's Basic Information page, and turn Socket Mode on";

function webApi(config: Config): string {
  return config.SLACK_API_URL
    ? `the Slack Web API at ${config.SLACK_API_URL}`
    : 'the Slack Web API (slack.com)';
}

/** What went wrong, and what the operator does about it. */
export interface Explained {
  problem: string;
  fix: string;
}

/** A Slack Web API failure, explained with the variable it concerns (undefined: not a Web API failure). */
export function explainSlackError(err: unknown, config: Config, token: 'bot' | 'app'): Explained | undefined {
  const e = (err ?? {}) as SlackErrorShape;
  const variable = token === 'bot' ? 'SLACK_BOT_TOKEN' : 'SLACK_APP_TOKEN';
  const fix = token === 'bot' ? BOT_TOKEN_FIX : APP_TOKEN_FIX;
  const apiFix = "check SLACK_API_URL (leave it unset for Slack's own), the network, DNS and any proxy";
  switch (e.code) {
    case 'slack_webapi_platform_error': {
      const answer = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      if (REFUSED_TOKEN.has(answer)) return { problem: `${variable} was refused by Slack (${answer})`, fix };
      if (answer === 'not_allowed_token_type')
        return { problem: `${variable} is not the right kind of token (${answer})`, fix };
      if (answer === 'missing_scope')
        return {
          problem: `${variable} lacks a scope Slack asked for (${answer})`,
          fix: 'add the scopes of manifest/slack.yaml to the app and reinstall it',
        };
      return { problem: `${variable}: Slack answered ${answer}`, fix };
    }
    case 'slack_webapi_request_error': {
      const cause = e.original?.cause;
      const detail = [e.original?.message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
      return { problem: `${webApi(config)} did not answer (${detail || 'no answer'})`, fix: apiFix };
    }
    case 'slack_webapi_http_error':
      return {
        problem: `${webApi(config)} answered HTTP ${String(e.statusCode)}`,
        fix: "check SLACK_API_URL (leave it unset for Slack's own), or Slack's status page",
      };
    case 'slack_webapi_rate_limited_error':
      return {
        problem: `${webApi(config)} is rate limiting this app (retry after ${String(e.retryAfter)} s)`,
        fix: 'try again in a minute',
      };
    default:
      return undefined;
  }
}

/**
 * Why the HTTP server cannot listen on HOST:PORT, as `start` says it when it fails and `doctor` when it
 * tries the same beforehand; undefined for a failure it does not know.
 */
export function explainListenError(
  err: unknown,
  config: Pick<Config, 'HOST' | 'PORT'>,
): Explained | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `PORT ${config.PORT} on ${config.HOST}`;
  if (code === 'EADDRINUSE')
    return {
      problem: `${where} is already in use by another process`,
      fix: 'stop it, or set PORT to a free port',
    };
  if (code === 'EACCES')
    return { problem: `${where} may not be opened by this user`, fix: 'set PORT above 1023' };
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return {
      problem: `HOST ${config.HOST} is not an address of this machine`,
      fix: 'set HOST, or leave it unset',
    };
  return undefined;
}

/** Turns whatever stopped a start into the one line an operator reads. */
export function explainStartFailure(step: StartStep, err: unknown, config: Config): UserError {
  if (err instanceof UserError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (step === 'slack-auth' || step === 'slack-socket') {
    const explained = explainSlackError(err, config, step === 'slack-auth' ? 'bot' : 'app');
    if (explained) return startFailure(`${explained.problem}: ${explained.fix}`);
    return startFailure(`Slack did not start (${message}): check the SLACK_* settings`);
  }
  if (step === 'listen') {
    const explained = explainListenError(err, config);
    if (explained) return startFailure(`${explained.problem}: ${explained.fix}`);
    return startFailure(`the HTTP server did not start on ${config.HOST}:${config.PORT} (${message})`);
  }
  return startFailure(`Teams did not start (${message}): check the MICROSOFT_* settings`);
}
