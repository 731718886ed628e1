import { describe, expect, it } from 'vitest';
import { createStore } from '../../db/store.js';
import { DRAFT_LIFETIME_MS, loadDraft, saveDraft, startDraft } from '../../src/app/journey/drafts.js';
import { answerJourney, journeyScope, submitJourney, viewJourney } from '../../src/app/journey/service.js';
import type { JourneyState } from '../../src/app/journey/journey.js';
import { loadTransferView } from '../../src/app/load-view.js';
import type { Actor } from '../../src/domain/types.js';
import { runDueJobs } from '../../src/schedule/jobs.js';
import { drivers } from '../support/db.js';
import { RecordingSender } from '../support/recording-sender.js';
import { actorIn, useSeeded } from '../support/world.js';
import { workingDayReminders } from '../support/reminders.js';

const settings = workingDayReminders('UTC');

describe.each(drivers)('request drafts and whole selections (%s)', (driver) => {
  const suite = useSeeded(driver, 'alice', 'slack');

  /** Answers lines through the core, keeping the journey in a draft between answers, as a surface does. */
  async function walk(lines: string[], who: Actor = suite.actor) {
    let draft = await startDraft(suite.deps, who, {});
    const errors: string[] = [];
    for (const line of lines) {
      const advanced = await answerJourney(journeyScope(suite.deps, who), draft.state, line);
      if (advanced.error) errors.push(advanced.error.key);
      draft = (await saveDraft(suite.deps, draft, advanced.state))!;
    }
    return { draft, errors };
  }

  it('keeps the journey across a restart, for its owner only, and sweeps it after a day', async () => {
    const { draft } = await walk(['fr-a.example', 'fr-b.example']);
    // Another process on the same database: a new store finds the same answers.
    const restarted = { ...suite.deps, store: createStore(suite.database.db) };
    expect((await loadDraft(restarted, suite.actor, draft.id))?.state).toEqual(draft.state);
    const bob = await actorIn(suite.deps, 'bob', 'slack');
    expect(await loadDraft(suite.deps, bob, draft.id)).toBeUndefined();
    // Two answers to the same version: the second is refused, not lost silently.
    expect(await saveDraft(suite.deps, draft, { ...draft.state, sameCompany: true })).toBeDefined();
    expect(await saveDraft(suite.deps, draft, { ...draft.state, sameCompany: false })).toBeUndefined();

    const summary = await runDueJobs(suite.deps, {
      senders: [new RecordingSender({ platform: 'console' })],
      settings,
      now: new Date(suite.deps.now().getTime() + DRAFT_LIFETIME_MS + 1),
    });
    expect(summary.expiredDrafts).toBe(1);
    expect(await suite.deps.store.drafts.load(draft.id)).toBeUndefined();
  });

  it('starting again replaces the person’s draft on that surface', async () => {
    const first = await startDraft(suite.deps, suite.actor, { sameCompany: true });
    const second = await startDraft(suite.deps, suite.actor, {});
    expect(await loadDraft(suite.deps, suite.actor, first.id)).toBeUndefined();
    expect((await loadDraft(suite.deps, suite.actor, second.id))?.state).toEqual({});
  });

  it('ALL takes every eligible asset of the source; the review counts them and names what was left out', async () => {
    const { draft, errors } = await walk(['fr-a.example', 'fr-b.example', 'yes', '?', 'ALL']);
    expect(errors).toEqual([]);
    const view = await viewJourney(journeyScope(suite.deps, suite.actor), draft.state);
    expect(view.step).toBe('review');
    expect(view.review).toMatchObject({
      licenses: 5,
      devices: 2,
      perVirtualAccount: [{ name: 'DEFAULT', licenses: 5, devices: 2 }],
      leftOutTotal: 4,
    });
    expect(view.review!.leftOut.map((l) => l.ref).sort()).toEqual([
      'SN:FOC0003',
      'SN:FOC0004',
      'SO:101-1',
      'SO:102-1',
    ]);
    const reply = await submitJourney(suite.deps, suite.actor, { ...draft.state, reviewed: true });
    expect(reply.kind).toBe('transfer');
    const transfer =
      reply.kind === 'transfer' ? await loadTransferView(suite.deps, reply.view.id, suite.actor) : undefined;
    expect(transfer?.items.map((i) => i.ref).sort()).toEqual([
      'SN:FOC0001',
      'SN:FOC0002',
      'SO:100-1',
      'SO:100-2',
      'SO:103-1',
      'SO:104-1',
      'SO:105-1',
    ]);
  });

  it('narrows a whole selection by kind and by the search, and counts what "Select all" would take', async () => {
    const start: JourneyState = {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      sameCompany: true,
    };
    const searched = await answerJourney(journeyScope(suite.deps, suite.actor), start, '?FOC');
    const view = await viewJourney(journeyScope(suite.deps, suite.actor), searched.state);
    expect(view.step).toBe('assets');
    // Every eligible device is in an open transfer by now, and no license matches FOC.
    expect(view.assets?.eligible).toEqual({ licenses: 0, devices: 0 });
    const devices = await answerJourney(journeyScope(suite.deps, suite.actor), searched.state, 'devices');
    expect(devices.error?.key).toBe('core:journey.error.nothingEligible');
    // A named reference that cannot move is refused with its reason, and the asset step asked again.
    const named = await answerJourney(journeyScope(suite.deps, suite.actor), start, 'SO:101-1');
    // Nothing is created at this step: not "the request was not created", but what to change.
    expect(named.error).toEqual({ key: 'core:journey.error.assetProblems', params: { count: 1 } });
    expect(named.details?.[0]?.params?.['ref']).toBe('SO:101-1');
    expect(named.state).toEqual(start);
  });
});
