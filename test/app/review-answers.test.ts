import { describe, expect, it } from 'vitest';
import { reviewAnswers } from '../../src/app/journey/review-answers.js';
import type { StepName } from '../../src/app/journey/journey.js';

const route = {
  source: { smartAccount: 'fr-a.example' },
  destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
};

describe('the answers a review reads back', () => {
  it('within one company: the same-company answer alone', () => {
    const asked: StepName[] = ['source', 'destination', 'sameCompany', 'assets', 'review'];
    expect(reviewAnswers({ state: { ...route, sameCompany: true }, asked })).toEqual([
      { field: 'common:field.sameCompany', value: { kind: 'words', words: { key: 'common:answer.yes' } } },
    ]);
  });

  it("on a partner's request: every answer of the form, a transferor left open as every admin asked, terms not yet accepted", () => {
    const asked: StepName[] = ['sameCompany', 'transferee', 'transferor', 'assets', 'justification', 'terms'];
    const answers = reviewAnswers({
      state: {
        ...route,
        sameCompany: false,
        transferee: 'bob@be.example',
        transferor: null,
        justification: 'Brussels office',
        transfereeLegalName: 'Lumière Réseaux Belgique SA',
        transfereeAddress: 'Avenue Louise 1',
      },
      asked,
      named: { transferee: { name: 'Bob Peeters', email: 'bob@be.example' } },
    });
    expect(answers.map((a) => [a.field, a.value])).toEqual([
      ['common:field.sameCompany', { kind: 'words', words: { key: 'common:answer.no' } }],
      [
        'common:field.transferee',
        { kind: 'person', email: 'bob@be.example', known: { name: 'Bob Peeters', email: 'bob@be.example' } },
      ],
      ['common:field.transferor', { kind: 'words', words: { key: 'core:journey.review.allTransferors' } }],
      ['common:field.transfereeLegalName', { kind: 'text', text: 'Lumière Réseaux Belgique SA' }],
      ['common:field.address', { kind: 'text', text: 'Avenue Louise 1' }],
      ['common:field.businessJustification', { kind: 'text', text: 'Brussels office' }],
      [
        'common:field.termsAndConditions',
        { kind: 'words', words: { key: 'core:journey.review.termsNotAccepted' } },
      ],
    ]);
  });

  it('a transferee the inventory no longer lists is read back by the e-mail answered', () => {
    const answers = reviewAnswers({
      state: { ...route, sameCompany: false, transferee: 'gone@be.example' },
      asked: ['transferee'],
    });
    expect(answers[1]).toEqual({
      field: 'common:field.transferee',
      value: { kind: 'person', email: 'gone@be.example' },
    });
  });
});
