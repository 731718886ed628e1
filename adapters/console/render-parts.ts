import { assetFacts } from '../../src/app/asset-rows.js';
import type { CardTransferView } from '../../src/app/cards.js';
import { consentsAsRead } from '../../src/app/consents-read.js';
import type { ItemView } from '../../src/app/views.js';
import { consentRoleLabelKey } from '../../src/domain/permissions.js';
import {
  NO_DATE,
  aboutPerson,
  formatDateTime,
  formatQuantity,
  labelled,
  tr,
  translate,
  type CatalogKey,
  type Reader,
} from '../../src/i18n/index.js';

// What the console's texts are made of: translations, dates and `Label: value` lines in the reader's language.

export const t = (reader: Reader, key: CatalogKey, params?: Record<string, string | number>) =>
  translate(reader.locale, key, params);
export const when = (reader: Reader, date: Date | null) =>
  date ? formatDateTime(date, reader.locale, reader.timeZone) : NO_DATE;

/** `Label: value` with the reader's colon (a no-break space before it in French, ：in Japanese). */
export const field = (reader: Reader, labelKey: CatalogKey, value: string) =>
  labelled(reader.locale, t(reader, labelKey), value);
/** The request form as consenters and compliance read it: the transferee company, and who accepted the terms. */
export function requestFormLines(reader: Reader, view: CardTransferView): string[] {
  const lines: string[] = [];
  if (view.transfereeLegalName)
    lines.push(`  ${field(reader, 'common:field.transfereeLegalName', view.transfereeLegalName)}`);
  if (view.transfereeAddress)
    lines.push(`  ${field(reader, 'common:field.address', view.transfereeAddress)}`);
  if (view.termsAccepted) {
    const { by, at } = view.termsAccepted;
    lines.push(`  ${t(reader, 'common:terms.accepted', { name: by.name, at: when(reader, at) })}`);
    lines.push(`    ${t(reader, 'common:terms.text')}`);
  }
  return lines;
}

/** A decision or a step, and the person's own words after a dash when they gave a reason. */
export const withReason = (text: string, reason: string | null) => (reason ? `${text} — ${reason}` : text);
/** Who decided what and when: “approved by Bob on 3 Mar 2026” in the reader's grammar. */
export const decided = (
  reader: Reader,
  decision: 'approved' | 'rejected',
  by: string | null,
  at: Date | null,
) => t(reader, 'common:value.decided', { decision, by: by ?? '', at: when(reader, at) });

/** The legal entities of source and destination, where the inventory records them. */
export function legalEntityLines(reader: Reader, view: CardTransferView): string[] {
  const lines: string[] = [];
  if (view.source.legalEntity)
    lines.push(`  ${field(reader, 'common:field.sourceLegalEntity', view.source.legalEntity)}`);
  if (view.destination.legalEntity)
    lines.push(`  ${field(reader, 'common:field.destinationLegalEntity', view.destination.legalEntity)}`);
  return lines;
}

/** One item: its reference, what it is (PID, quantity, license type, PnP status …), its result and why, its warnings. */
export function itemLines(reader: Reader, item: ItemView): string[] {
  const result = t(reader, `common:itemResult.${item.result}`);
  const what = [
    `${item.pid ?? ''}${item.quantity ? ` ${formatQuantity(item.quantity, reader.locale)}` : ''}`,
    ...(item.facts ? assetFacts(reader.locale, item.facts) : []),
  ].join(' · ');
  return [
    `    ${item.ref}  ${what}  — ${item.reason ? labelled(reader.locale, result, tr(reader, item.reason)) : result}`,
    // Its minor lines under it: they move with it, so they have no result of their own.
    ...(item.facts?.minorLines ?? []).map(
      (minor) => `      ↳ ${minor.line} ${minor.pid} ${formatQuantity(minor.quantity, reader.locale)}`,
    ),
    ...item.warnings.map((warning) => `      ⚠ ${tr(reader, warning)}`),
  ];
}

/** An unanswered consent: not answered yet, its person no longer able to answer, or no longer awaited. */
const UNANSWERED_KEYS = {
  awaited: 'common:value.notAnswered',
  cannotAnswer: 'common:value.cannotAnswer',
  notAnswered: 'common:value.noLongerAwaited',
} as const;

/** Who was asked to consent, in which role, and what they answered, when and why. */
export function consentLines(reader: Reader, view: CardTransferView): string[] {
  return consentsAsRead(view).map((consent) => {
    const state = consent.decision
      ? withReason(decided(reader, consent.decision, consent.decidedBy, consent.decidedAt), consent.reason)
      : t(reader, UNANSWERED_KEYS[consent.unanswered ?? 'awaited']);
    const who = aboutPerson(reader.locale, t(reader, consentRoleLabelKey(consent.role)), consent.person.name);
    return `  ${labelled(reader.locale, who, state)}`;
  });
}
