import { describe, expect, it } from 'vitest';
import { flatten, loadCatalogs } from '../../src/i18n/catalog.js';
import { LOCALES } from '../../src/i18n/index.js';

/**
 * Slack refuses a view whose modal title, submit or close label is over 24 characters, and cuts a
 * confirmation dialog's buttons at 30; the renderers truncate rather than fail, so a long translation
 * would reach people cut in the middle of a word. French and Japanese meet these limits first.
 */

const catalogs = loadCatalogs();

function text(locale: (typeof LOCALES)[number], key: string): string {
  const [namespace, path] = key.split(':') as [string, string];
  const found = flatten(catalogs[locale][namespace] ?? {}).get(path);
  if (found === undefined) throw new Error(`${locale} has no ${key}`);
  return found;
}

const length = (s: string) => [...s].length;

// What the Slack modals put in their title, submit and close slots.
const MODAL_LABELS = [
  'slack:wizard.title',
  'slack:reject.title',
  'slack:modal.transferTitle',
  'common:app.name',
  'common:button.next',
  'common:button.submitForReview',
  'common:button.cancel',
  'common:button.close',
  'common:button.reject',
];

// The cancel confirmation dialog's two buttons.
const CONFIRM_LABELS = ['common:button.confirmCancel', 'common:button.close'];

describe('Slack label limits', () => {
  it.each(LOCALES)('keeps modal titles and their buttons within 24 characters in %s', (locale) => {
    const over = MODAL_LABELS.map((key) => [key, text(locale, key)] as const).filter(
      ([, label]) => length(label) > 24,
    );
    expect(over).toEqual([]);
  });

  it.each(LOCALES)('keeps confirmation buttons within 30 and every button within 75 in %s', (locale) => {
    const over = [
      ...CONFIRM_LABELS.map((key) => [key, text(locale, key), 30] as const),
      ...[...flatten(catalogs[locale]['common'] ?? {})]
        .filter(([path]) => path.startsWith('button.'))
        .map(([path, label]) => [`common:${path}`, label, 75] as const),
    ].filter(([, label, max]) => length(label) > max);
    expect(over).toEqual([]);
  });
});
