import { z } from 'zod';
import { cronExpressionProblem } from './schedule/reminder-schedule.js';
import { LOCALES } from './i18n/locale.js';

/** `30s`, `15m`, `24h`, `7d` (and `0` where a duration may be off) in milliseconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(trimmed);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

/**
 * The longest duration a setting takes, ten years: far longer and a date reckoned from it can fall outside
 * what a date can hold (the outbox's upkeep then failed at every run, long after the bot started).
 */
const MAX_DURATION_DAYS = 3650;

const duration = (allowZero: boolean) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || (!allowZero && ms === 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 30s, 15m, 24h or 7d${allowZero ? ', or 0' : ''}`,
      });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', message: `expected a duration of at most ${MAX_DURATION_DAYS}d` });
      return z.NEVER;
    }
    return ms;
  });

/** One of a few words, named all in the message when it is another. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join(', ')}` });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An optional whole number within bounds, given as text. */
const integer = (min: number, max: number, fallback: number) =>
  optionalText.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

function httpsUrlOf(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.username === '' && url.password === '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** An optional https URL: the Bot Framework endpoints of a cloud (MSAL refuses plain http). */
const httpsUrl = optionalText.refine((v) => v === undefined || httpsUrlOf(v) !== undefined, {
  message: 'expected an https:// URL',
});

const flag = optionalText.pipe(oneOf(['true', 'false']).optional());

/**
 * A domain Teams files may also come from and go to, names under it included (a sovereign cloud's
 * SharePoint beyond those the bot knows). One label alone (`fr`) or an IP address is not a domain of one
 * cloud's file hosts, so neither is taken.
 */
const fileHostDomain = z.hostname().refine((name) => {
  const labels = name.split('.');
  return labels.length > 1 && /[a-z]/i.test(labels.at(-1) ?? '');
});

/** Variables that only a custom cloud reads; set with another cloud they would be silently ignored. */
const CUSTOM_CLOUD_VARIABLES = [
  'MICROSOFT_OPENID_METADATA_URL',
  'MICROSOFT_TOKEN_ISSUER',
  'MICROSOFT_LOGIN_URL',
  'MICROSOFT_OAUTH_SCOPE',
] as const;

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** INTERFACES §2. Every variable is optional; a malformed one stops the start with its name. */
const envSchema = z.object({
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'expected a postgres:// URL',
  }),
  DATA_DIR: optionalText.transform((v) => v ?? './.data'),
  PORT: integer(0, 65535, 3000),
  HOST: optionalText.transform((v) => v ?? '0.0.0.0'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message: 'expected a bot token starting with xoxb-',
  }),
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'expected an app-level token starting with xapp-',
  }),
  SLACK_API_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/.+\/$/.test(v), {
    message: 'expected an http(s) URL ending in /',
  }),
  SLACK_COMPLIANCE_CHANNEL: optionalText,
  COMPLIANCE_LOCALE: optionalText.pipe(oneOf(LOCALES).optional()).transform((v) => v ?? 'en'),
  // Slack writes its ids in capitals; a workspace's name or domain is refused rather than never matched.
  SLACK_WORKSPACES: optionalText
    .refine((v) => v === undefined || v.split(',').every((id) => /^[TE][A-Z0-9]{1,31}$/.test(id.trim())), {
      message: 'expected Slack team IDs (T…) or enterprise IDs (E…) separated by commas',
    })
    .transform((v) => (v ? [...new Set(v.split(',').map((id) => id.trim()))] : [])),
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: optionalText.pipe(oneOf(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  MICROSOFT_CLOUD: optionalText
    .pipe(oneOf(['public', 'usgov', 'custom']).optional())
    .transform((v) => v ?? 'public'),
  MICROSOFT_OPENID_METADATA_URL: httpsUrl,
  MICROSOFT_TOKEN_ISSUER: optionalText,
  MICROSOFT_LOGIN_URL: optionalText.refine(
    (v) => v === undefined || (httpsUrlOf(v)?.pathname.length ?? 0) > 1,
    {
      message:
        'expected an https:// URL ending with the tenant that signs, such as https://login.microsoftonline.com/botframework.com',
    },
  ),
  MICROSOFT_OAUTH_SCOPE: optionalText,
  MICROSOFT_VALIDATE_AUTHORITY: flag.transform((v) => v !== 'false'),
  TEAMS_ALLOW_UNAUTHENTICATED: flag.transform((v) => v === 'true'),
  TEAMS_COMPLIANCE_CONVERSATION_ID: optionalText,
  TEAMS_TENANTS: optionalText
    .refine((v) => v === undefined || v.split(',').every((t) => /^[A-Za-z0-9._-]{1,100}$/.test(t.trim())), {
      message: 'expected Microsoft Entra tenant IDs separated by commas',
    })
    .transform((v) => (v ? v.split(',').map((t) => t.trim().toLowerCase()) : [])),
  TEAMS_FILE_HOST_DOMAINS: optionalText
    .refine(
      (v) =>
        v === undefined || v.split(',').every((domain) => fileHostDomain.safeParse(domain.trim()).success),
      {
        message: 'expected domain names separated by commas, such as sharepoint.example',
      },
    )
    .transform((v) => (v ? v.split(',').map((domain) => domain.trim().toLowerCase()) : [])),
  SUPPORT_CONTACT: optionalText,
  TZ_DEFAULT: optionalText
    .transform((v) => v ?? 'UTC')
    .refine(validTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' }),
  // Read by the same library that evaluates it, so what starts is what runs.
  REMINDER_CRON: optionalText
    .transform((v) => v ?? '0 9 * * 1-5')
    .superRefine((expression, ctx) => {
      const problem = cronExpressionProblem(expression);
      if (problem !== null) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a cron expression of 5 fields, or 6 with seconds first, such as "0 9 * * 1-5" (${problem})`,
        });
      }
    }),
  CONSENT_REMIND_EVERY: optionalText.transform((v) => v ?? '24h').pipe(duration(false)),
  CONSENT_ESCALATE_AFTER: integer(1, 1000, 3),
  CONSENT_EXPIRE_AFTER: optionalText.transform((v) => v ?? '30d').pipe(duration(true)),
  OUTBOX_KEEP: optionalText.transform((v) => v ?? '90d').pipe(duration(true)),
  LOG_LEVEL: optionalText
    .pipe(oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional())
    .transform((v) => v ?? 'info'),
});

export type Config = z.output<typeof envSchema> & {
  slackMode: 'off' | 'http' | 'socket';
  teamsEnabled: boolean;
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Reads the environment; on error, one line per bad variable, naming it. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`) };
  }
  const c = parsed.data;
  const errors: string[] = [];
  let slackMode: Config['slackMode'] = 'off';
  if (c.SLACK_BOT_TOKEN && c.SLACK_APP_TOKEN) slackMode = 'socket';
  else if (c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET) slackMode = 'http';
  else if (c.SLACK_BOT_TOKEN || c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) {
    errors.push(
      `${c.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'}: missing (Slack needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET for HTTP, or with SLACK_APP_TOKEN for Socket Mode)`,
    );
  }
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD && c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    errors.push('MICROSOFT_APP_PASSWORD: missing (required with MICROSOFT_APP_ID)');
  }
  if (c.MICROSOFT_APP_TYPE === 'SingleTenant' && !c.MICROSOFT_APP_TENANT_ID) {
    errors.push('MICROSOFT_APP_TENANT_ID: missing (required for a SingleTenant app)');
  }
  for (const name of CUSTOM_CLOUD_VARIABLES) {
    if (c.MICROSOFT_CLOUD === 'custom' && !c[name]) {
      errors.push(`${name}: missing (required with MICROSOFT_CLOUD=custom)`);
    } else if (c.MICROSOFT_CLOUD !== 'custom' && c[name]) {
      errors.push(
        `${name}: only read with MICROSOFT_CLOUD=custom (the ${c.MICROSOFT_CLOUD} cloud has its own)`,
      );
    }
  }
  if (c.MICROSOFT_CLOUD !== 'custom' && env.MICROSOFT_VALIDATE_AUTHORITY?.trim()) {
    errors.push('MICROSOFT_VALIDATE_AUTHORITY: only read with MICROSOFT_CLOUD=custom');
  }
  if (errors.length > 0) return { ok: false, errors };
  const teamsEnabled = Boolean(c.MICROSOFT_APP_ID) || c.TEAMS_ALLOW_UNAUTHENTICATED;
  return { ok: true, config: { ...c, slackMode, teamsEnabled } };
}
