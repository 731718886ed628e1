import { describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import { answerTo, SLACK, useSlack } from './harness.js';

describe.each(surfaceDrivers)('a bot admin grants a role with /transfer (%s)', (driver) => {
  const h = useSlack(driver);

  it('makes Bob admin of fr-a.example: the bot admin reads it in French, Bob is told, and Bob can then use the account', async () => {
    const since = h.api.count();
    const granted = await h.slash(SLACK.ada.id, 'GRANT bob@be.example Admin fr-a.example');
    const reply = await answerTo(h, granted.responseUrl, { since });
    expect(String(reply.args.text)).toContain(
      'Bob Peeters (bob@be.example) a désormais le rôle «\u00a0Administrateur du compte Smart\u00a0» sur Lumière Lyon (fr-a.example).',
    );

    await h.deliver();
    const told = h.api
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === SLACK.bob.id)
      .map((c) => String(c.args.text));
    expect(told).toContain(
      'Ada Admin gave you the role “Smart Account admin” on Lumière Lyon (fr-a.example).',
    );

    const listed = await h.slash(SLACK.bob.id, 'accounts');
    expect(JSON.stringify((await answerTo(h, listed.responseUrl, { since })).args)).toContain('fr-a.example');
  });

  it('refuses anyone else, in their language, and nothing changes', async () => {
    const since = h.api.count();
    const tried = await h.slash(SLACK.bob.id, 'grant bob@be.example admin fr-b.example');
    expect(String((await answerTo(h, tried.responseUrl, { since })).args.text)).toContain(
      'Only a bot admin can grant or take away roles. Nothing was changed.',
    );
    const listed = await h.slash(SLACK.bob.id, 'accounts');
    expect(JSON.stringify((await answerTo(h, listed.responseUrl, { since })).args)).not.toContain(
      'fr-b.example',
    );
  });
});
