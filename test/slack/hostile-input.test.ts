import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { MAX_MESSAGE_LENGTH } from '../../src/text/input-check.js';
import { databaseSnapshot } from '../support/snapshot.js';
import { awaitingConsent } from '../support/transfers.js';
import { answerTo, cardClick, click, SLACK, startSlack, submission, type SlackHarness } from './harness.js';

const character = (locale: 'en' | 'fr', name: string) =>
  translate(locale, 'input:error.character', { character: name });

describe('Slack: hostile text in commands, modals, typeaheads and messages', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack('pglite');
    // Bob's profile (his language) is known, as it is once he has used the bot.
    await h.slash(SLACK.bob.id, 'help');
    await h.api.waitFor('response_url');
    await h.adapter.settled();
  });
  afterAll(() => h?.close());

  it('answers a slash command holding a NUL in its ack, and runs nothing', async () => {
    const before = await databaseSnapshot(h.database.db);
    const since = h.api.count();
    const { res } = await h.slash(SLACK.bob.id, 'new justification:"a\u0000b"');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: character('en', 'U+0000') });
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
    expect(h.api.calls().slice(since)).toEqual([]);
  });

  it('answers a click whose payload is not of the shape Slack sends as a form that cannot be read, not our failure', async () => {
    const since = h.api.count();
    const responseUrl = h.api.responseUrl();
    await h.interact(
      click(
        SLACK.bob.id,
        { action_id: 'transfer_submit', value: 12345 as unknown as string },
        { channel: 'DUBOB', ts: '1700000009.000100', ephemeral: true, responseUrl },
      ),
    );
    const told = await answerTo(h, responseUrl, { since });
    expect(told.args.text).toBe(translate('en', 'input:error.formUnreadable'));
  });

  it('answers a slash command longer than any message with "too long"', async () => {
    const { res } = await h.slash(SLACK.bob.id, `accounts ${'x'.repeat(MAX_MESSAGE_LENGTH)}`);
    expect(await res.json()).toEqual({
      response_type: 'ephemeral',
      text: translate('en', 'input:error.tooLong', {
        length: MAX_MESSAGE_LENGTH + 9,
        max: MAX_MESSAGE_LENGTH,
      }),
    });
  });

  it('keeps the reason modal open with the error under the reason when it holds a lone surrogate', async () => {
    const id = await awaitingConsent(h.deps, 'SO:104-1');
    const before = await databaseSnapshot(h.database.db);
    const view = {
      callback_id: 'reject_reason',
      private_metadata: JSON.stringify({ id, kind: 'consent', origin: { kind: 'home' } }),
    };
    const res = await h.interact(
      submission(SLACK.bob.id, view, {
        reason: { reason: { type: 'plain_text_input', value: 'Budget \uDC00 not approved' } },
      }),
    );
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { reason: character('en', 'U+DC00') },
    });
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
    expect(await h.status(id)).toBe('awaiting_consent');
  });

  it('answers a reason modal whose metadata came back unreadable under the field, without failing', async () => {
    const res = await h.interact(
      submission(
        SLACK.bob.id,
        { callback_id: 'reject_reason', private_metadata: '«' },
        {
          reason: { reason: { type: 'plain_text_input', value: 'no' } },
        },
      ),
    );
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { reason: translate('en', 'input:error.formUnreadable') },
    });
  });

  it('offers nothing to a typeahead search holding a noncharacter', async () => {
    const res = await h.interact({
      type: 'block_suggestion',
      user: { id: SLACK.alice.id },
      action_id: 'source',
      block_id: 'source',
      value: 'fr\uFFFE',
      view: { id: 'V1', type: 'modal', callback_id: 'wizard' },
    });
    expect(await res.json()).toEqual({ options: [] });
  });

  /** Bob writes to the bot in its Messages tab (`more`: the rest of the event); resolves with its answer there. */
  async function bobWrites(text: string, more: Record<string, unknown>) {
    const since = h.api.count();
    await h.event({
      type: 'message',
      channel: 'DUBOB',
      channel_type: 'im',
      user: SLACK.bob.id,
      text,
      ...more,
    });
    return h.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DUBOB', { since });
  }

  it('answers a direct message holding a NUL in the conversation', async () => {
    const told = await bobWrites('show AT-\u00007F3K9QJ2', { ts: '2.1' });
    expect(told.args.text).toBe(character('en', 'U+0000'));
  });

  // Slack's own parts of a request (names, blocks echoed back) are recorded with it before the ack: a
  // character no database can store there is refused as in what a person typed, before anything runs.
  it('refuses a direct message whose blocks Slack echoes hold a NUL the text does not, in the conversation', async () => {
    const before = await databaseSnapshot(h.database.db);
    const told = await bobWrites('accounts', {
      blocks: [
        {
          type: 'rich_text',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'accounts\u0000' }] }],
        },
      ],
      ts: '2.2',
    });
    expect(told.args.text).toBe(character('en', 'U+0000'));
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
  });

  it('refuses a click on Approve whose clicker’s name, as Slack sends it, holds a lone surrogate: nothing decided', async () => {
    const id = await awaitingConsent(h.deps, 'SO:105-1');
    const before = await databaseSnapshot(h.database.db);
    const since = h.api.count();
    const clicked = cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', {
      channel: 'DUBOB',
      ts: '3.1',
    });
    const res = await h.interact({ ...clicked, user: { ...(clicked.user as object), name: 'bob\uD800' } });
    expect(res.status).toBe(200);
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.bob.id, { since });
    expect(told.args.text).toBe(character('en', 'U+D800'));
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
    expect(await h.status(id)).toBe('awaiting_consent');
  });
});
