import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ATTEMPTS,
  DELIVERY_ACTIONS,
  HISTORY_ACTIONS,
  INVENTORY_PLACED,
  REFUSAL_CODES,
  REMINDER_ACTIONS,
  historyEntryText,
  historySummary,
} from '../../src/app/history-text.js';
import type { HistoryView } from '../../src/app/views.js';
import { LOCALES, msg } from '../../src/i18n/index.js';
import { sourceFiles } from '../support/source-files.js';

/**
 * Every history step the application can write, read in English, French and Japanese: each reads as
 * words, with no catalog key, no stored action name and no placeholder showing.
 */

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const AT = new Date('2026-11-23T08:00:00Z');

const entry = (action: string, extra: Partial<HistoryView> = {}): HistoryView => ({
  at: AT,
  actor: 'sophie.lambert@lumiere-reseaux.be',
  surface: 'slack',
  action,
  from: null,
  to: null,
  reason: null,
  reasonMsg: null,
  details: null,
  ...extra,
});

/** Every kind of entry: the steps, the bot's reminders and failed deliveries, each refusal of each attempt. */
const ENTRIES: HistoryView[] = [
  ...HISTORY_ACTIONS.map((a) => entry(a, { from: 'submitted', to: 'awaiting_consent' })),
  entry('consent.reject', {
    from: 'awaiting_consent',
    to: 'cancelled',
    reasonMsg: msg('core:cancel.consentRejectedNoReason', { name: 'Sophie Lambert', role: 'transferee' }),
  }),
  ...REMINDER_ACTIONS.map((a) => entry(a, { actor: 'system', surface: 'system', details: { number: 2 } })),
  ...DELIVERY_ACTIONS.map((a) =>
    entry(a, {
      actor: 'system',
      surface: 'system',
      reason: 'unreachable: sophie.lambert@lumiere-reseaux.be',
      details: { recipient: 'sophie.lambert@lumiere-reseaux.be' },
    }),
  ),
  ...ATTEMPTS.flatMap((a) => REFUSAL_CODES.map((code) => entry(`refused.${a}`, { reason: code }))),
  entry(INVENTORY_PLACED, {
    actor: 'system',
    surface: 'cli',
    reason:
      'The inventory file puts it in fr-a.example/DEFAULT; this transfer had moved it to be.example/DEFAULT.',
    details: {
      status: 'transfer_completed_with_failure',
      destination: 'be.example/DEFAULT',
      licenses: 1,
      devices: 0,
      places: [{ place: 'fr-a.example/DEFAULT', assets: 1 }],
    },
  }),
];

const KEY_LIKE = /\b[a-z]+:[a-zA-Z_]+(?:\.[\w-]+)+/;
const STORED_ACTION = /\b(?:refused|reminder|delivery|consent|screen|inventory)\.[a-z]+/;

describe('history as people read it', () => {
  for (const locale of LOCALES) {
    it(`names every step in words, in ${locale}`, () => {
      for (const e of ENTRIES) {
        const text = historyEntryText(locale, e);
        const line = [text.who, text.where, historySummary(locale, text), text.reason ?? ''].join(' | ');
        expect(line, `${e.action} in ${locale}`).not.toMatch(KEY_LIKE);
        expect(line, `${e.action} in ${locale}`).not.toMatch(STORED_ACTION);
        expect(line, `${e.action} in ${locale}`).not.toMatch(/\{\{|\}\}|_/);
        expect(text.what.trim().length, `${e.action} in ${locale}`).toBeGreaterThan(2);
      }
    });
  }

  it('says what a refusal was and why, not the stored code', () => {
    const text = historyEntryText('fr', entry('refused.cancel', { reason: 'wrong_status' }));
    expect(text.what).toBe('Tentative refusée\u00a0: annuler');
    expect(text.reason).toBe('impossible dans ce statut');
    // Refused as incomplete: what was missing, as the person who tried was told.
    const noReason = entry('refused.screen.reject', {
      reason: 'invalid',
      details: { refusal: { key: 'core:refusal.reasonRequired', params: { id: 'AT-7F3K9QJ2' } } },
    });
    expect(historyEntryText('en', noReason).reason).toBe(
      'A reason is required to reject transaction AT-7F3K9QJ2.',
    );
  });

  it('names the reminder by its number and the status change by its labels', () => {
    const reminder = historyEntryText('ja', entry('reminder.consent', { details: { number: 3 } }));
    expect(reminder.what).toContain('3');
    // Who was reminded, where recorded: several are when every eligible transferor is asked.
    const named = entry('reminder.consent', { details: { number: 2, to: 7, name: 'Yui Tanaka' } });
    expect(historyEntryText('en', named).what).toBe('Consent reminder 2 sent to Yui Tanaka');
    expect(historyEntryText('fr', named).what).toBe('Rappel n°\u00a02 de consentement envoyé à Yui Tanaka');
    const moved = historyEntryText('en', entry('submit', { from: 'pending_submission', to: 'submitted' }));
    expect(historySummary('en', moved)).toBe('Submitted for transfer (Pending Submission → Submitted)');
  });

  it('knows every action the application writes', () => {
    const known = new Set<string>([
      ...HISTORY_ACTIONS,
      ...REMINDER_ACTIONS,
      ...DELIVERY_ACTIONS,
      ...ATTEMPTS.map((a) => `refused.${a}`),
      INVENTORY_PLACED,
    ]);
    const written = new Set<string>();
    for (const file of sourceFiles([join(ROOT, 'src')])) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/action: '([a-z.]+)'/g)) written.add(m[1]!);
      for (const m of source.matchAll(/'(reminder\.[a-z]+)'/g)) written.add(m[1]!);
      for (const m of source.matchAll(/auditRefusal\([^)]*?'([a-z.]+)'/g)) written.add(`refused.${m[1]!}`);
      for (const m of source.matchAll(/kind: '(submission|compliance)'/g)) written.add(`reminder.${m[1]!}`);
    }
    expect(written.size).toBeGreaterThan(15);
    expect([...written].filter((a) => !known.has(a))).toEqual([]);
  });
});
