import { describe, expect, it } from 'vitest';
import { formatWholeSelection, readAssetSelection } from '../../src/app/journey/asset-answer.js';
import { answerCompany } from '../../src/app/journey/company.js';
import { answerStep } from '../../src/app/journey/answer-step.js';
import {
  canAnswer,
  journeyFromPrefill,
  nextStep,
  STEPS,
  stepsAsked,
  stepsSoFar,
  type JourneyFacts,
  type JourneyState,
  type StepName,
} from '../../src/app/journey/journey.js';

const facts: JourneyFacts = {
  accounts: [
    {
      domain: 'fr-a.example',
      name: 'Lumière Lyon',
      virtualAccounts: [
        { name: 'DEFAULT', onPrem: false, licenses: 3, devices: 2 },
        { name: 'Lab', onPrem: true, licenses: 0, devices: 1 },
      ],
    },
    {
      domain: 'fr-b.example',
      name: 'Lumière Paris',
      virtualAccounts: [{ name: 'DEFAULT', onPrem: false, licenses: 0, devices: 0 }],
    },
    {
      domain: 'be.example',
      name: 'Lumière Belgique',
      virtualAccounts: [
        { name: 'DEFAULT', onPrem: false, licenses: 1, devices: 0 },
        { name: 'Brussels', onPrem: false, licenses: 0, devices: 0 },
      ],
    },
  ],
  partner: false,
  transfereeCandidates: [{ name: 'Bob Peeters', email: 'bob@be.example' }],
  transferorCandidates: [{ name: 'Alice Martin', email: 'alice@fr-a.example' }],
};

/** Answers each line to whatever step the journey is at; returns the state and the errors met. */
function walk(lines: string[], f: JourneyFacts = facts, start: JourneyState = {}) {
  let state = start;
  const errors: { step: StepName; key: string }[] = [];
  for (const line of lines) {
    const step = nextStep(state, f);
    if (step === 'done') throw new Error(`answer after the end: ${line}`);
    const answered = answerStep(state, step, line, f);
    if (answered.ok) state = answered.state;
    else errors.push({ step, key: answered.error.key });
  }
  return { state, errors, step: nextStep(state, f) };
}

describe('the request journey', () => {
  it('asks in the seeds’ order, and only the form between legal entities', () => {
    const same = walk(['Lyon', 'fr-b.example', 'yes', 'SO:105-1', 'yes']);
    expect(same.errors).toEqual([]);
    expect(same.step).toBe('done');
    expect(same.state).toMatchObject({
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      sameCompany: true,
      assets: { refs: ['SO:105-1'], whole: [] },
    });
    expect(same.state.transferee).toBeUndefined();

    const other = walk([
      'fr-a',
      'be.example/DEFAULT',
      'no',
      'bob@be.example',
      'SN:FOC0001',
      'Brussels',
      'yes',
      'yes',
    ]);
    expect(other.errors).toEqual([]);
    expect(other.step).toBe('done');
    expect(other.state).toMatchObject({
      transferee: 'bob@be.example',
      justification: 'Brussels',
      termsAccepted: true,
    });
  });

  it('reads the answers each language’s prompts name: はい/いいえ, oui/non, yes/no', () => {
    const japanese = walk([
      'fr-a',
      'be.example/DEFAULT',
      'いいえ',
      'bob@be.example',
      'SN:FOC0001',
      '理由',
      'はい',
      'はい',
    ]);
    expect(japanese.errors).toEqual([]);
    expect(japanese.step).toBe('done');
    expect(japanese.state).toMatchObject({ sameCompany: false, termsAccepted: true });
    const french = walk(['fr-a', 'fr-b.example', 'Oui', 'SO:105-1', 'oui']);
    expect(french.errors).toEqual([]);
    expect(french.state).toMatchObject({ sameCompany: true });
  });

  it('asks the destination Virtual Account when the account has several, and greys out the source', () => {
    const { state, errors } = walk(['fr-a.example', 'fr-a.example', 'be.example', 'Nowhere', 'Brussels']);
    expect(errors).toEqual([
      { step: 'destination', key: 'core:journey.error.destinationIsSource' },
      { step: 'destinationVirtualAccount', key: 'core:journey.error.noVirtualAccount' },
    ]);
    expect(state.destination).toEqual({ smartAccount: 'be.example', virtualAccount: 'Brussels' });
  });

  it('asks a partner for the transferor, and an empty answer asks every eligible admin', () => {
    const partner = { ...facts, partner: true };
    const named = walk(['fr-a.example', 'be.example/DEFAULT', 'no', '1', 'carol@fr-a.example', '1'], partner);
    expect(named.errors).toEqual([{ step: 'transferor', key: 'core:journey.error.notCandidate' }]);
    expect(named.state.transferor).toBe('alice@fr-a.example');
    const none = walk(['fr-a.example', 'be.example/DEFAULT', 'no', '1', ''], partner);
    expect(none.state.transferor).toBeNull();
    expect(none.step).toBe('assets');
  });

  it('asks the transferor again when the person answered as transferor is then chosen as transferee', () => {
    const partner: JourneyFacts = {
      ...facts,
      partner: true,
      transfereeCandidates: [
        ...facts.transfereeCandidates,
        { name: 'Alice Martin', email: 'alice@fr-a.example' },
      ],
    };
    const named = walk(
      ['fr-a.example', 'be.example/DEFAULT', 'no', 'bob@be.example', 'alice@fr-a.example'],
      partner,
    );
    expect(named.state.transferor).toBe('alice@fr-a.example');
    const same = answerStep(named.state, 'transferee', 'ALICE@fr-a.example', partner);
    expect(same.ok && same.state.transferee).toBe('alice@fr-a.example');
    expect(same.ok && nextStep(same.state, partner)).toBe('transferor');
    // Another transferee leaves the transferor answered as it was.
    const other = answerStep(named.state, 'transferee', 'bob@be.example', partner);
    expect(other.ok && other.state.transferor).toBe('alice@fr-a.example');
  });

  it.each([
    ['source', ['Lumière'], 'core:journey.error.severalAccountsMatch'],
    ['source', ['nowhere.example'], 'core:journey.error.noAccountMatches'],
    ['source', ['fr-a.example/Nope'], 'core:journey.error.noVirtualAccount'],
    ['sameCompany', ['fr-a.example', 'be.example/DEFAULT', 'maybe'], 'core:journey.error.yesOrNo'],
    [
      'transferee',
      ['fr-a.example', 'be.example/DEFAULT', 'no', 'eve@x.example'],
      'core:journey.error.notCandidate',
    ],
    ['assets', ['fr-a.example', 'be.example/DEFAULT', 'yes', 'SO:abc'], 'core:journey.error.badRefs'],
    [
      'assets',
      ['fr-a.example', 'be.example/DEFAULT', 'yes', 'SO:100-1, SO:100-1.1'],
      'grammar:error.minorLineRef',
    ],
    [
      'assets',
      ['fr-a.example', 'be.example/DEFAULT', 'yes', 'VA:Nope'],
      'core:journey.error.noVirtualAccount',
    ],
    ['assets', ['fr-a.example', 'be.example/DEFAULT', 'yes', ' , '], 'core:journey.error.noAssets'],
    [
      'justification',
      ['fr-a.example', 'be.example/DEFAULT', 'no', '1', 'ALL', '  '],
      'core:journey.error.justificationRequired',
    ],
    [
      'justification',
      ['fr-a.example', 'be.example/DEFAULT', 'no', '1', 'ALL', 'é'.repeat(2001)],
      'core:refusal.tooLong',
    ],
    [
      'terms',
      ['fr-a.example', 'be.example/DEFAULT', 'no', '1', 'ALL', 'x', 'no'],
      'core:journey.error.termsRequired',
    ],
    ['review', ['fr-a.example', 'fr-b.example', 'yes', 'ALL', 'later'], 'core:journey.error.reviewConfirm'],
  ] as const)('re-asks the %s step on a bad answer, keeping every other answer', (step, lines, key) => {
    const before = walk(lines.slice(0, -1));
    const after = walk([...lines]);
    expect(after.errors).toEqual([{ step, key }]);
    expect(after.state).toEqual(before.state);
    expect(after.step).toBe(step);
  });

  it('reads whole selections: ALL, VA:NAME, narrowed by kind and by the current search', () => {
    expect(readAssetSelection('ALL')).toEqual({ selection: { refs: [], whole: [{}] } });
    expect(readAssetSelection('va:Lab devices, SO:105-1 SN:FOC1')).toEqual({
      selection: {
        refs: [
          { kind: 'so', salesOrder: '105', line: '1' },
          { kind: 'sn', serial: 'FOC1' },
        ],
        whole: [{ virtualAccount: 'Lab', kind: 'devices' }],
      },
    });
    expect(readAssetSelection('licenses', 'C9300')).toEqual({
      selection: { refs: [], whole: [{ kind: 'licenses', query: 'C9300' }] },
    });
    expect(readAssetSelection('ALL stuff')).toEqual({ bad: ['ALL', 'stuff'] });
    // The VA's name is taken as the inventory spells it.
    const { state } = walk(['fr-a.example', 'fr-b.example', 'yes', '?lab', 'VA:lab']);
    expect(state.assets).toEqual({ refs: [], whole: [{ virtualAccount: 'Lab', query: 'lab' }] });
  });

  it('reads a quoted Virtual Account name as the one-line command does, without its quotes', () => {
    const quoted = { selection: { refs: [], whole: [{ virtualAccount: 'Campus Part-Dieu' }] } };
    expect(readAssetSelection('VA:"Campus Part-Dieu"')).toEqual(quoted);
    expect(readAssetSelection('VA:« Campus Part-Dieu »')).toEqual(quoted);
    expect(readAssetSelection('VA:「Campus Part-Dieu」')).toEqual(quoted);
    expect(readAssetSelection('VA:Campus Part-Dieu')).toEqual(quoted);
    expect(readAssetSelection('VA:"Campus Part-Dieu" licenses, SN:FOC1')).toEqual({
      selection: {
        refs: [{ kind: 'sn', serial: 'FOC1' }],
        whole: [{ virtualAccount: 'Campus Part-Dieu', kind: 'licenses' }],
      },
    });
    expect(readAssetSelection('VA:"Campus Part-Dieu')).toEqual({ bad: ['VA:"Campus Part-Dieu'] });
    // A name in quotes is all name, a last word `devices` included; a kind after the quotes narrows it.
    const lab = (kind?: string) => ({
      selection: { refs: [], whole: [{ virtualAccount: 'Lab devices', ...(kind ? { kind } : {}) }] },
    });
    expect(readAssetSelection('VA:"Lab devices"')).toEqual(lab());
    expect(readAssetSelection('VA:"Lab devices" licenses')).toEqual(lab('licenses'));
    expect(readAssetSelection('VA:Lab devices')).toEqual({
      selection: { refs: [], whole: [{ virtualAccount: 'Lab', kind: 'devices' }] },
    });
  });

  it('keeps a separator inside a quoted Virtual Account name, and writes such names back in quotes', () => {
    expect(readAssetSelection('VA:"Paris, Lyon", SN:FOC1')).toEqual({
      selection: { refs: [{ kind: 'sn', serial: 'FOC1' }], whole: [{ virtualAccount: 'Paris, Lyon' }] },
    });
    expect(readAssetSelection('VA:「東京、大阪」 licenses\nSN:FOC1')).toEqual({
      selection: {
        refs: [{ kind: 'sn', serial: 'FOC1' }],
        whole: [{ virtualAccount: '東京、大阪', kind: 'licenses' }],
      },
    });
    // What the step writes back (the Slack form refills its field with it) reads as the same selection.
    for (const whole of [
      { virtualAccount: 'Lab devices' },
      { virtualAccount: 'Paris, Lyon', kind: 'devices' as const },
      { virtualAccount: 'Le "Lab"' },
      { virtualAccount: 'Lab' },
      {},
    ]) {
      expect(readAssetSelection(formatWholeSelection(whole))).toEqual({
        selection: { refs: [], whole: [whole] },
      });
    }
    expect(formatWholeSelection({ virtualAccount: 'Lab devices' })).toBe('VA:"Lab devices"');
  });

  it('does not ask again what the one-line command gave', () => {
    const start = journeyFromPrefill({
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      sameCompany: false,
      transferee: 'bob@be.example',
    });
    expect(nextStep(start, facts)).toBe('assets');
  });

  it('asks again what depended on a changed source', () => {
    const { state } = walk(['fr-a.example', 'be.example/DEFAULT', 'yes', 'ALL']);
    const changed = answerStep(state, 'source', 'fr-b.example', facts);
    expect(changed.ok && changed.state.assets).toBeUndefined();
    expect(changed.ok && changed.state.destination).toEqual(state.destination);
  });

  it('names the steps asked so far, where a surface may go back: only those this journey asks', () => {
    const same = walk(['fr-a.example', 'fr-b.example', 'yes']);
    expect(stepsSoFar(same.state, facts)).toEqual([
      'source',
      'destination',
      'destinationVirtualAccount',
      'sameCompany',
      'assets',
    ]);
    const partner = { ...facts, partner: true };
    const other = walk(['fr-a.example', 'be.example/DEFAULT', 'no', 'bob@be.example', ''], partner);
    expect(stepsSoFar(other.state, partner)).toEqual([
      'source',
      'destination',
      'destinationVirtualAccount',
      'sameCompany',
      'transferee',
      'transferor',
      'assets',
    ]);
    // Given by the command but not yet reached: not among the steps asked.
    const given = { ...other.state, justification: 'Integration' };
    expect(stepsSoFar(given, partner)).not.toContain('justification');
  });

  it('takes the transferee company as corrected, a blank field leaving the inventory’s, and refuses one too long', () => {
    const corrected = answerCompany({}, { legalName: ' Lumière Belgique SA ', address: '' });
    expect(corrected).toEqual({ ok: true, state: { transfereeLegalName: 'Lumière Belgique SA' } });
    const tooLong = answerCompany({ transfereeLegalName: 'kept' }, { legalName: 'x'.repeat(501) });
    expect(tooLong).toMatchObject({
      ok: false,
      error: { key: 'core:refusal.tooLong', params: { length: 501, max: 500 } },
    });
  });

  it('says why no transferee can be named when nobody but the requester administers the destination', () => {
    const alone = { ...facts, transfereeCandidates: [] };
    const { state, step } = walk(['fr-a.example', 'be.example/DEFAULT', 'no'], alone);
    expect(step).toBe('transferee');
    for (const answer of ['alice@fr-a.example', '1', ''])
      expect(answerStep(state, 'transferee', answer, alone)).toEqual({
        ok: false,
        error: { key: 'core:journey.error.noTransferee', params: { domain: 'be.example' } },
      });
  });

  it('asks the form when the inventory records two legal entities whatever the answer, and for a "no" (SPEC §4.1)', () => {
    const twoEntities = { ...facts, sameLegalEntity: false };
    const affiliate = walk(['fr-a.example', 'be.example/DEFAULT', 'yes'], twoEntities);
    expect(affiliate.step).toBe('transferee');
    // A "no" for one legal entity contradicts the inventory and goes on as a "no": the form is asked.
    const oneEntity = walk(['fr-a.example', 'fr-b.example', 'no'], { ...facts, sameLegalEntity: true });
    expect(oneEntity.step).toBe('transferee');
    const sameSite = walk(['fr-a.example', 'fr-b.example', 'yes'], { ...facts, sameLegalEntity: true });
    expect(stepsAsked(sameSite.state, { ...facts, sameLegalEntity: true })).not.toContain('transferee');
  });

  it('says so as the same-company answer is taken when the inventory contradicts it (SPEC §4.1)', () => {
    const lyon = { id: 'lr-fr', name: 'Lumière Réseaux SAS' };
    const brussels = { id: 'lr-be', name: 'Lumière Réseaux Belgique SA' };
    const { state } = walk(['fr-a.example', 'be.example/DEFAULT']);
    const twoEntities = {
      ...facts,
      sameLegalEntity: false,
      legalEntities: { source: lyon, destination: brussels },
    };
    expect(answerStep(state, 'sameCompany', 'oui', twoEntities)).toMatchObject({
      ok: true,
      note: {
        key: 'core:warning.twoLegalEntities',
        params: { source: lyon.name, destination: brussels.name },
      },
    });
    const oneEntity = {
      ...facts,
      sameLegalEntity: true,
      legalEntities: { source: lyon, destination: lyon },
    };
    expect(answerStep(state, 'sameCompany', 'non', oneEntity)).toMatchObject({
      ok: true,
      note: { key: 'core:warning.oneLegalEntity', params: { name: lyon.name } },
    });
    // An answer the inventory agrees with, or one it cannot check, needs no note.
    expect(answerStep(state, 'sameCompany', 'non', twoEntities)).not.toHaveProperty('note');
    expect(answerStep(state, 'sameCompany', 'oui', facts)).not.toHaveProperty('note');
  });

  it('lets the people, the assets and the form be answered together once the accounts are given', () => {
    const partner = { ...facts, partner: true };
    const { state } = walk(['fr-a.example', 'be.example/DEFAULT', 'no'], partner);
    expect(stepsAsked(state, partner)).toEqual(STEPS);
    // The justification may come before the assets; the review only last; the transferor only when asked.
    expect(canAnswer(state, 'justification', partner)).toBe(true);
    expect(canAnswer(state, 'source', partner)).toBe(true);
    expect(canAnswer(state, 'review', partner)).toBe(false);
    expect(canAnswer(state, 'transferor', facts)).toBe(false);
    // Before the accounts are given, nothing after them may be answered.
    expect(canAnswer({}, 'justification', partner)).toBe(false);
    expect(canAnswer({ source: { smartAccount: 'fr-a.example' } }, 'sameCompany', partner)).toBe(false);
  });

  it('keeps the search a whole selection was made with when it is answered again', () => {
    const first = answerStep(
      { source: { smartAccount: 'fr-a.example' }, assetQuery: 'FOC' },
      'assets',
      'ALL',
      facts,
    );
    expect(first.ok && first.state.assets?.whole).toEqual([{ query: 'FOC' }]);
    const again = answerStep(
      { ...(first.ok ? first.state : {}), assetQuery: 'C9300' },
      'assets',
      'ALL, VA:Lab devices',
      facts,
    );
    expect(again.ok && again.state.assets?.whole).toEqual([
      { query: 'FOC' },
      { virtualAccount: 'Lab', kind: 'devices', query: 'C9300' },
    ]);
    expect(formatWholeSelection({ virtualAccount: 'Lab', kind: 'devices', query: 'x' })).toBe(
      'VA:Lab devices',
    );
  });
});
