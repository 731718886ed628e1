import { pino, type LogFn, type Logger, type LoggerOptions } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { loggable } from '../../src/delivery/logger.js';

/** A refusal or bad input: one line on stderr, exit 1. */
export class UserError extends Error {}

/** Bad usage of the command line: exit 2. */
export class UsageError extends Error {}

export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new UserError(`bad environment: ${result.errors.join('; ')}`);
  return result.config;
}

/**
 * The bot's log. Secrets never reach it, whatever shape the object logged has, nor a failed database
 * statement's parameters, whoever logs it (`loggable`).
 */
export function createLogger(config: Config, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(loggerOptions(config), pino.destination(destination === 'stdout' ? 1 : 2));
}

export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => loggable(arg)) as Parameters<LogFn>);
      },
    },
    // An error is already as the log shows it (above); pino's own serializer would add its cause's
    // message back to it.
    serializers: { err: (err: unknown) => err },
    redact: {
      paths: [
        '*.token',
        '*.password',
        '*.secret',
        '*.authorization',
        '*.headers.authorization',
        'config.SLACK_BOT_TOKEN',
        'config.SLACK_APP_TOKEN',
        'config.SLACK_SIGNING_SECRET',
        'config.MICROSOFT_APP_PASSWORD',
        'config.DATABASE_URL',
      ],
      censor: '[redacted]',
    },
  };
}
