import { describe, expect, it } from 'vitest';
import { readYesNo } from '../../src/app/journey/journey.js';
import { LOCALES, translate, type CatalogKey } from '../../src/i18n/index.js';

/** The journey's questions answered yes or no, and what it says to an answer that is neither. */
const YES_NO_TEXTS: readonly CatalogKey[] = [
  'core:journey.step.sameCompany',
  'core:journey.step.terms',
  'core:journey.step.review',
  'core:journey.error.yesOrNo',
];

describe.each(LOCALES)('yes and no, in %s', (locale) => {
  const yes = translate(locale, 'common:answer.yes');
  const no = translate(locale, 'common:answer.no');

  it('are read as answers by the journey', () => {
    expect(readYesNo(yes)).toBe(true);
    expect(readYesNo(no)).toBe(false);
  });

  it.each(YES_NO_TEXTS)('are the words %s asks for', (key) => {
    const text = translate(locale, key).toLowerCase();
    expect(text).toContain(yes.toLowerCase());
    expect(text).toContain(no.toLowerCase());
  });
});
