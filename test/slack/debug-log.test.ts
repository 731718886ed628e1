import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../adapters/cli/runtime.js';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, cardClick, deliverCard, ONE_LINE, SLACK, submission, useSlack, where } from './harness.js';

/** The bot's own log at LOG_LEVEL=debug (`transfer-bot start`), written to lines this test reads. */
function debugLog() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino(loggerOptions({ LOG_LEVEL: 'debug' }), out);
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const TYPED = 'Door code 4711-SECRET for the lab';
const REASON = 'Badge PIN 0815-SECRET was refused';

describe.each(surfaceDrivers)('what the debug log keeps of Slack requests (%s)', (driver) => {
  const log = debugLog();
  const h = useSlack(driver, { logger: log.logger });

  it('names each request by kind, ids and size, never what was typed, e-mails, response_url or trigger_id', async () => {
    let since = h.api.count();
    const line = ONE_LINE.replace(/justification:"[^"]*"/, `justification:"${TYPED}"`);
    const { responseUrl } = await h.slash(SLACK.alice.id, line.replace('SO:100-1,SN:FOC0002', 'SO:104-1'));
    const created = await answerTo(h, responseUrl, { since });
    const id = /AT-[0-9A-Z]{8}/.exec(String(created.args.text))?.[0] ?? '';
    expect(id).not.toBe('');
    await answerTo(h, (await h.slash(SLACK.alice.id, `submit ${id}`)).responseUrl, { since });
    const card = where(await deliverCard(h, SLACK.bob.id, id, 'consent_approve', since));
    // The card Bob reads shows what Alice typed: it went through the Web API the log follows.
    expect(JSON.stringify(h.api.calls('chat.postMessage').map((c) => c.args))).toContain(TYPED);

    since = h.api.count();
    const reject = cardClick(SLACK.bob.id, 'consent_reject', id, 'consent:transferee', card);
    await h.interact(reject);
    const opened = await h.api.waitFor('views.open', () => true, { since });
    since = h.api.count();
    const reason = { reason: { reason: { type: 'plain_text_input', value: REASON } } };
    await h.interact(submission(SLACK.bob.id, opened.args.view as Record<string, unknown>, reason));
    await h.api.waitFor('chat.update', (c) => c.args.ts === card.ts, { since });
    expect(await h.status(id)).toBe('cancelled');

    const lines = log.lines();
    const logged = JSON.stringify(lines);
    for (const secret of [
      '4711-SECRET',
      '0815-SECRET',
      SLACK.alice.email,
      SLACK.bob.email,
      responseUrl,
      String(reject.trigger_id),
      'xoxb-test-token',
    ])
      expect(logged.includes(secret), `the log quotes ${secret}`).toBe(false);

    // Each request is still there, at debug: what it is, who sent it, how big it was.
    const requests = lines.filter((l) => l.msg === 'Slack request').map((l) => l.slack);
    expect(requests).toContainEqual({
      command: '/transfer',
      team: 'T1',
      user: SLACK.alice.id,
      channel: 'CGENERAL',
      bytes: expect.any(Number) as number,
    });
    expect(requests).toContainEqual(
      expect.objectContaining({ type: 'block_actions', actionIds: ['consent_reject'], user: SLACK.bob.id }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ type: 'view_submission', callbackId: 'reject_reason', user: SLACK.bob.id }),
    );
    // And the Web API calls the bot made, by the ids they concern.
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'http request body',
        slack: expect.objectContaining({ user: SLACK.bob.id }),
      }),
    );
  });
});
