import { describe, expect, it } from 'vitest';
import { homeOf } from '../../adapters/slack/handlers/other-workspaces.js';
import { servedWorkspaces, workspaceRefusal } from '../../adapters/slack/workspaces.js';
import { translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import { databaseSnapshot } from '../support/snapshot.js';
import { awaitingConsent } from '../support/transfers.js';
import {
  answerTo,
  cardClick,
  COMPLIANCE,
  deliverCard,
  SLACK,
  submission,
  useSlack,
  where,
} from './harness.js';

/** The bot's own workspace (the stand-in's auth.test), a partner's that SLACK_WORKSPACES lists, and another. */
const OWN = 'T1';
const PARTNER = 'T0PARTNER';
const PARTNER_ORG = 'E0PARTNER';
const OTHER = 'T0OTHER';

/** Someone of another workspace whose own workspace gives Paul's e-mail for them (Paul has never used Slack). */
const OUTSIDER = { id: 'UOUTSIDER', email: 'paul@partner.example', locale: 'fr-FR', tz: 'Europe/Paris' };

const NOT_SERVED_FR = translate('fr', 'slack:error.otherWorkspace');

/** A payload as a person of `team` sends it, through a channel of the bot's own workspace (Slack Connect). */
function fromTeam(payload: Record<string, unknown>, team: string): Record<string, unknown> {
  return { ...payload, user: { ...(payload.user as object), team_id: team }, team: { id: OWN } };
}

describe('Slack: which workspace a request names for the person, and whether it is served', () => {
  const served = servedWorkspaces({ team: 'T1', enterprise: 'E1' }, ['T2', 'E3', 'T1']);

  it('serves the bot’s own workspace, its organisation, and those listed', () => {
    expect(served).toEqual(['T1', 'E1', 'T2', 'E3']);
    expect(servedWorkspaces({ team: 'T1' }, [])).toEqual(['T1']);
    expect(workspaceRefusal({ team: 'T1' }, served)).toBeUndefined();
    expect(workspaceRefusal({ team: 'T9', enterprise: 'E1' }, served)).toBeUndefined();
    expect(workspaceRefusal({ team: 'E3' }, served)).toBeUndefined();
    expect(workspaceRefusal({ team: 'T9' }, served)).toBe('another workspace');
    expect(workspaceRefusal({ team: 'T9', enterprise: 'E9' }, served)).toBe('another workspace');
    expect(workspaceRefusal({}, served)).toBe('no workspace named');
  });

  it('reads the person’s own team, not the workspace of the channel they act in', () => {
    // A click in a channel shared with another organisation: `team` is the channel's, `user.team_id` theirs.
    expect(
      homeOf({ type: 'block_actions', user: { id: 'U', team_id: 'T9' }, team: { id: 'T1' } }, undefined),
    ).toEqual({ team: 'T9' });
    // A person of an Enterprise Grid organisation is named by the organisation's id.
    expect(
      homeOf(
        {
          type: 'view_submission',
          user: { id: 'U', team_id: 'E1' },
          team: { id: 'T5', enterprise_id: 'E1' },
        },
        undefined,
      ),
    ).toEqual({ team: 'E1' });
    expect(
      homeOf(
        { type: 'block_actions', user: { id: 'U', team_id: 'T5' }, team: { id: 'T5', enterprise_id: 'E1' } },
        undefined,
      ),
    ).toEqual({ team: 'T5', enterprise: 'E1' });
    expect(homeOf({ command: '/transfer', team_id: 'T5', enterprise_id: 'E1' }, undefined)).toEqual({
      team: 'T5',
      enterprise: 'E1',
    });
    // A message names its author's team; an event naming none is judged by the workspace it came for.
    const event = { type: 'event_callback', team_id: 'T1', enterprise_id: 'E1' };
    expect(homeOf(event, { type: 'message', user: 'U', user_team: 'T9', team: 'T9' })).toEqual({
      team: 'T9',
    });
    expect(homeOf(event, { type: 'app_home_opened', user: 'U' })).toEqual({ team: 'T1', enterprise: 'E1' });
    expect(homeOf({ type: 'block_actions', user: { id: 'U' } }, undefined)).toEqual({});
  });
});

describe.each(surfaceDrivers)('Slack: people of other workspaces (%s)', (driver) => {
  const h = useSlack(driver, { workspaces: [PARTNER, PARTNER_ORG] });

  it('refuses a slash command from another workspace and tells the person why, in their language; nothing changes', async () => {
    h.api.addPerson(OUTSIDER);
    const id = await awaitingConsent(h.deps, 'SO:105-1', { transferee: 'paul' });
    const before = await databaseSnapshot(h.database.db);
    const since = h.api.count();
    const { res, responseUrl } = await h.slash(OUTSIDER.id, `consent ${id} approve`, { team: OTHER });
    expect(res.status).toBe(200);
    const told = await answerTo(h, responseUrl, { since });
    expect(told.args.text).toBe(NOT_SERVED_FR);
    await h.adapter.settled();
    // Not linked to Paul, nothing recorded, the consent still awaited.
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
    expect(await h.status(id)).toBe('awaiting_consent');
  });

  it('refuses a click and a modal submission from another workspace, told where they acted; nothing changes', async () => {
    h.api.addPerson(OUTSIDER);
    const id = await awaitingConsent(h.deps, 'SO:104-1', { transferee: 'paul' });
    const before = await databaseSnapshot(h.database.db);
    const since = h.api.count();
    const card = { channel: 'CSHARED', ts: '1700000001.000100' };
    const res = await h.interact(
      fromTeam(cardClick(OUTSIDER.id, 'consent_approve', id, 'consent:transferee', card), OTHER),
    );
    expect(res.status).toBe(200);
    const told = await h.api.waitFor('chat.postEphemeral', (c) => c.args.user === OUTSIDER.id, { since });
    expect(told.args).toMatchObject({ channel: 'CSHARED', text: NOT_SERVED_FR });

    const view = {
      callback_id: 'reject_reason',
      private_metadata: JSON.stringify({ id, kind: 'consent', origin: { kind: 'home' } }),
    };
    const submitted = await h.interact(
      fromTeam(
        submission(OUTSIDER.id, view, { reason: { reason: { type: 'plain_text_input', value: 'No' } } }),
        OTHER,
      ),
    );
    const answer = (await submitted.json()) as { response_action: string; view: unknown };
    expect(answer.response_action).toBe('push');
    expect(JSON.stringify(answer.view)).toContain(NOT_SERVED_FR);
    await h.adapter.settled();
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
    expect(await h.status(id)).toBe('awaiting_consent');
    // Nothing was done for them: no card redrawn, no message but the notice.
    expect(
      h.api
        .calls()
        .slice(since)
        .map((c) => c.method)
        .filter((method) => method !== 'users.info'),
    ).toEqual(['chat.postEphemeral']);
  });

  it('answers a direct message from another workspace with the same notice', async () => {
    h.api.addPerson(OUTSIDER);
    const before = await databaseSnapshot(h.database.db);
    const since = h.api.count();
    await h.event({
      type: 'message',
      channel: 'DOUTSIDER',
      channel_type: 'im',
      user: OUTSIDER.id,
      user_team: OTHER,
      team: OTHER,
      text: 'accounts',
      ts: '1700000002.000100',
    });
    const told = await h.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DOUTSIDER', { since });
    expect(told.args.text).toBe(NOT_SERVED_FR);
    await h.adapter.settled();
    expect(await databaseSnapshot(h.database.db)).toEqual(before);
  });

  it('serves a person of a workspace or organisation SLACK_WORKSPACES lists, and the bot’s own, as before', async () => {
    const id = await awaitingConsent(h.deps, 'SO:103-1', { transferee: 'paul' });
    // Paul, typing from a workspace not listed, is refused…
    const refused = await h.slash(SLACK.paul.id, `consent ${id} approve`, { team: OTHER });
    expect((await answerTo(h, refused.responseUrl)).args.text).toBe(
      translate('en', 'slack:error.otherWorkspace'),
    );
    expect(await h.status(id)).toBe('awaiting_consent');
    // …and served from his partner's workspace, which is listed.
    const since = h.api.count();
    const served = await h.slash(SLACK.paul.id, `consent ${id} approve`, { team: PARTNER });
    expect((await answerTo(h, served.responseUrl, { since })).args.text).toContain(id);
    expect(await h.status(id)).toBe('compliance_screening');

    // Cora, of an Enterprise Grid organisation that is listed (Slack names her by its id), screens.
    const card = where(await deliverCard(h, COMPLIANCE, id, 'compliance_approve'));
    const clicked = h.api.count();
    await h.interact(
      fromTeam(cardClick(SLACK.cora.id, 'compliance_approve', id, 'compliance', card), PARTNER_ORG),
    );
    await h.api.waitFor('chat.update', (c) => c.args.ts === card.ts, { since: clicked });
    expect(await h.status(id)).toBe('transfer_completed');

    // Alice, of the bot's own workspace.
    const shown = await h.slash(SLACK.alice.id, `show ${id}`);
    expect((await answerTo(h, shown.responseUrl)).args.text).toContain(id);
  });
});
