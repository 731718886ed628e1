import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDraft, DRAFT_LIFETIME_MS, saveDraft, startDraft } from '../../src/app/journey/drafts.js';
import {
  chooseDraft,
  draftInProgress,
  hasAnswers,
  offerMessage,
  requestOpening,
} from '../../src/app/journey/in-progress.js';
import { translate } from '../../src/i18n/index.js';
import { drivers } from '../support/db.js';
import { actorIn, useSeeded } from '../support/world.js';

const started = new Date('2026-11-23T08:00:00Z');

describe('a request in progress, offered again: its sentence', () => {
  it('counts only what the person answered', () => {
    expect(hasAnswers({})).toBe(false);
    expect(hasAnswers({ assetQuery: 'FOC' })).toBe(false);
    expect(hasAnswers({ sameCompany: false })).toBe(true);
    expect(hasAnswers({ transferor: null })).toBe(true);
  });

  it('says when it was started, in the reader’s language and zone, and how far it got', () => {
    const route = {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
    };
    const say = (locale: 'en' | 'fr' | 'ja', state: Parameters<typeof offerMessage>[1], zone = 'UTC') => {
      const m = offerMessage(started, state);
      return translate(locale, m.key, m.params, zone);
    };
    expect(say('en', { ...route, assets: { refs: ['SO:100-1', 'SN:FOC0002'], whole: [] } })).toBe(
      'You have a request in progress, started 23 Nov 2026, 08:00 UTC (fr-a.example → be.example/DEFAULT, 2 assets chosen).',
    );
    expect(say('fr', { source: { smartAccount: 'fr-a.example' } }, 'Europe/Paris')).toBe(
      'Vous avez une demande en cours, commencée le 23 nov. 2026, 09:00 UTC+1 (fr-a.example → …).',
    );
    expect(say('en', { ...route, assets: { refs: ['SO:100-1'], whole: [{ kind: 'devices' }] } })).toBe(
      'You have a request in progress, started 23 Nov 2026, 08:00 UTC (fr-a.example → be.example/DEFAULT, 1 asset chosen, and All eligible devices).',
    );
    expect(say('ja', { ...route, assets: { refs: [], whole: [{}] } }, 'Asia/Tokyo')).toContain(
      '作成途中のリクエストがあります（2026年11月23日 17:00',
    );
  });

  it('names a whole selection in the reader’s words, never as the command word ALL or VA:NAME', () => {
    const state = {
      source: { smartAccount: 'fr-a.example', virtualAccount: 'VA-001' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
    };
    const say = (locale: 'en' | 'fr' | 'ja', whole: Parameters<typeof offerMessage>[1]['assets']) => {
      const m = offerMessage(started, { ...state, assets: whole });
      return translate(locale, m.key, m.params, 'UTC');
    };
    expect(say('ja', { refs: [], whole: [{ kind: 'licenses' }] })).toContain(
      'fr-a.example/VA-001 → be.example/DEFAULT、対象となるすべてのライセンスを選択済み）。',
    );
    expect(say('en', { refs: [], whole: [{ virtualAccount: 'Lab', kind: 'devices' }] })).toContain(
      '(fr-a.example/VA-001 → be.example/DEFAULT, chosen: Every eligible device of Virtual Account Lab).',
    );
    expect(say('fr', { refs: [], whole: [{}, { virtualAccount: 'Lab' }] })).toContain(
      '(fr-a.example/VA-001 → be.example/DEFAULT, sélection\u00a0: 2 sélections entières).',
    );
    for (const locale of ['en', 'fr', 'ja'] as const)
      expect(say(locale, { refs: ['SO:100-1'], whole: [{ kind: 'licenses' }] })).not.toMatch(/ALL|\$t/);
  });
});

describe.each(drivers)('a request in progress, offered again (%s)', (driver) => {
  const suite = useSeeded(driver, 'alice', 'slack', 'each');

  it('records when a draft was started, and a new start on the surface starts the clock again', async () => {
    const first = await startDraft(suite.deps, suite.actor, { sameCompany: true });
    const row = await suite.deps.store.drafts.current(suite.actor.userId, 'slack');
    expect(row?.id).toBe(first.id);
    expect(row?.createdAt).toEqual(suite.deps.now());
    suite.deps.advance(60_000);
    await saveDraft(suite.deps, first, { sameCompany: false });
    expect((await suite.deps.store.drafts.current(suite.actor.userId, 'slack'))?.createdAt).toEqual(
      row?.createdAt,
    );
    const second = await startDraft(suite.deps, suite.actor, {});
    const again = await suite.deps.store.drafts.current(suite.actor.userId, 'slack');
    expect(again?.id).toBe(second.id);
    expect(again?.createdAt).toEqual(suite.deps.now());
    // Another surface has its own.
    expect(await suite.deps.store.drafts.current(suite.actor.userId, 'teams')).toBeUndefined();
  });

  it('a row written before drafts recorded their start gets the time the column was added', async () => {
    const draft = await startDraft(suite.deps, suite.actor, {});
    await suite.database.db.execute(sql`ALTER TABLE drafts DROP COLUMN created_at`);
    // The migration as it ships, run over the row.
    const migration = await readFile(
      new URL('../../db/migrations/0018_drafts-started-at.sql', import.meta.url),
      'utf8',
    );
    await suite.database.db.execute(sql.raw(migration));
    const row = await suite.deps.store.drafts.load(draft.id);
    expect(Math.abs(row!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('`new` alone offers the draft holding an answer; with options it opens over it and says it replaces it', async () => {
    const empty = await startDraft(suite.deps, suite.actor, {});
    expect(await requestOpening(suite.deps, suite.actor, {})).toMatchObject({
      ok: true,
      value: { kind: 'journey', replaces: false },
    });
    await saveDraft(suite.deps, empty, { source: { smartAccount: 'fr-a.example' } });
    const offered = await requestOpening(suite.deps, suite.actor, {});
    expect(offered).toEqual({
      ok: true,
      value: {
        kind: 'offer',
        offer: {
          draftId: empty.id,
          message: offerMessage(suite.deps.now(), { source: { smartAccount: 'fr-a.example' } }),
        },
      },
    });
    const withOptions = await requestOpening(suite.deps, suite.actor, {
      source: { smartAccount: 'be.example' },
    });
    expect(withOptions).toMatchObject({
      ok: true,
      value: { kind: 'journey', replaces: true, state: { source: { smartAccount: 'be.example' } } },
    });
    // Someone else, or the same person on another surface, is offered nothing.
    expect(await draftInProgress(suite.deps, await actorIn(suite.deps, 'bob', 'slack'))).toBeUndefined();
    expect(await draftInProgress(suite.deps, { ...suite.actor, surface: 'teams' })).toBeUndefined();
  });

  it('is not offered once sent or expired', async () => {
    const draft = await startDraft(suite.deps, suite.actor, { sameCompany: true });
    expect(await draftInProgress(suite.deps, suite.actor)).toBeDefined();
    suite.deps.advance(DRAFT_LIFETIME_MS);
    expect(await draftInProgress(suite.deps, suite.actor)).toBeUndefined();
    const sent = await startDraft(suite.deps, suite.actor, { sameCompany: true });
    await closeDraft(suite.deps, sent, 'TX-1');
    expect(await draftInProgress(suite.deps, suite.actor)).toBeUndefined();
    expect(draft.id).not.toBe(sent.id);
  });

  it('Continue keeps every answer; Start over discards them; a stale or someone else’s choice changes nothing', async () => {
    const draft = await startDraft(suite.deps, suite.actor, { source: { smartAccount: 'fr-a.example' } });
    const bob = await actorIn(suite.deps, 'bob', 'slack');
    expect(await chooseDraft(suite.deps, bob, draft.id, 'startOver')).toEqual({
      ok: false,
      gone: { key: 'core:journey.error.draftGone' },
    });
    const kept = await chooseDraft(suite.deps, suite.actor, draft.id, 'continue');
    expect(kept).toMatchObject({ ok: true, draft: { id: draft.id, state: draft.state } });
    const over = await chooseDraft(suite.deps, suite.actor, draft.id, 'startOver');
    expect(over.ok && over.draft.id !== draft.id && over.draft.state).toEqual({});
    expect(await suite.deps.store.drafts.load(draft.id)).toBeUndefined();
    for (const choice of ['continue', 'startOver'] as const)
      expect(await chooseDraft(suite.deps, suite.actor, draft.id, choice)).toMatchObject({ ok: false });
    expect((await suite.deps.store.drafts.current(suite.actor.userId, 'slack'))?.id).toBe(
      over.ok ? over.draft.id : '',
    );
  });
});
