import { createHmac } from 'node:crypto';

/** A form-encoded request to the bot, signed now with `secret` as Slack signs its requests. */
export function signedSlackRequest(
  secret: string,
  form: Record<string, string>,
): { headers: Record<string, string>; body: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = new URLSearchParams(form).toString();
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  };
}

/** Slack's request timestamp for now, in seconds, as payloads carry it in their ids. */
export const slackTimestamp = (): string => String(Math.floor(Date.now() / 1000));
