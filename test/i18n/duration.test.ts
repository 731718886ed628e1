import { describe, expect, it } from 'vitest';
import { formatDuration, type Locale } from '../../src/i18n/index.js';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

describe('a duration as the reader says it', () => {
  it.each<[number, Record<Locale, string>]>([
    [12 * D + 23 * H, { en: '12 days', fr: '12 jours', ja: '12日' }],
    [D, { en: '1 day', fr: '1 jour', ja: '1日' }],
    [D - 1, { en: '23 hours', fr: '23 heures', ja: '23時間' }],
    [H + 59 * MIN, { en: '1 hour', fr: '1 heure', ja: '1時間' }],
    [H - 1, { en: '59 minutes', fr: '59 minutes', ja: '59分' }],
    [2 * MIN + 59_999, { en: '2 minutes', fr: '2 minutes', ja: '2分' }],
    [MIN, { en: '1 minute', fr: '1 minute', ja: '1分' }],
    [59_999, { en: 'less than a minute', fr: 'moins d’une minute', ja: '1分未満' }],
    [0, { en: 'less than a minute', fr: 'moins d’une minute', ja: '1分未満' }],
    [-5 * MIN, { en: 'less than a minute', fr: 'moins d’une minute', ja: '1分未満' }],
  ])('%d ms: the largest unit that fits, rounded down, never "0"', (ms, expected) => {
    for (const locale of ['en', 'fr', 'ja'] as const)
      expect(formatDuration(locale, ms)).toBe(expected[locale]);
  });

  it('writes large counts as the language writes numbers', () => {
    expect(formatDuration('en', 1234 * D)).toBe('1,234 days');
    expect(formatDuration('fr', 1234 * D)).toBe('1\u202f234 jours');
  });
});
