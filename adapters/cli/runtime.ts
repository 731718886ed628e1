import { pino, type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';

/** A refusal or bad input: one line on stderr, exit 1. */
export class UserError extends Error {}

/** Bad usage of the command line: exit 2. */
export class UsageError extends Error {}

export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new UserError(`bad environment: ${result.errors.join('; ')}`);
  return result.config;
}

/** Secrets never reach the log, whatever shape the object logged has. */
export function createLogger(config: Config, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
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
    },
    pino.destination(destination === 'stdout' ? 1 : 2),
  );
}
