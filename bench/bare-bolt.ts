import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';

/**
 * The yardstick for the ack path: a Bolt app whose `/transfer` handler only acks, on the same receiver
 * our bot uses (ExpressReceiver on an express server, processBeforeResponse off). Configured by the
 * environment like the bot (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL); prints its port.
 */
const receiver = new ExpressReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  processBeforeResponse: false,
  logLevel: LogLevel.ERROR,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
  deferInitialization: true,
});
await app.init();
app.command('/transfer', async ({ ack }) => {
  await ack();
});
const server = express();
server.use(receiver.router);
const listener = server.listen(0, '127.0.0.1', () => {
  const address = listener.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => listener.close(() => process.exit(0)));
