import { describe, expect, it } from 'vitest';
import { assetLine as consoleAssetLine, renderReply as consoleReply } from '../../adapters/console/render.js';
import { assetLine as slackAssetLine } from '../../adapters/slack/render/reply.js';
import { itemSections } from '../../adapters/slack/render/transfer-items.js';
import { assetSummary } from '../../adapters/teams/render/list-cards.js';
import { itemList } from '../../adapters/teams/render/transfer-parts.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import type { AssetRow } from '../../src/app/asset-list.js';
import type { TransferView } from '../../src/app/views.js';
import { formatQuantity, type Reader } from '../../src/i18n/index.js';
import { rejectedTransfer } from '../support/worst-case-views.js';

/** What each reader reads for a quantity of 12,345: French groups with a narrow no-break space. */
const GROUPED = [
  [{ locale: 'en', timeZone: 'UTC' }, '×12,345'],
  [{ locale: 'fr', timeZone: 'Europe/Paris' }, '×12\u202f345'],
  [{ locale: 'ja', timeZone: 'Asia/Tokyo' }, '×12,345'],
] as const satisfies readonly (readonly [Reader, string])[];

const license: AssetRow = {
  kind: 'license',
  ref: 'SO:104857601-1',
  virtualAccount: 'DEFAULT',
  pid: 'C9300-DNA-E-24',
  description: 'DNA Essentials',
  quantity: 12345,
  licenseType: 'smart',
  minorLines: [{ line: '1.1', pid: 'C9300-DNA-E-24-M', quantity: 12345 }],
  eligibility: { eligible: true, warnings: [] },
};

function transferOf(quantity: number): TransferView {
  const view = rejectedTransfer(1);
  return { ...view, items: view.items.map((item) => ({ ...item, pid: 'C9300-DNA-E-24', quantity })) };
}

describe.each(GROUPED)('a quantity of 12345 for a %o reader', (reader, grouped) => {
  it('is grouped as the language groups it', () => {
    expect(formatQuantity(12345, reader.locale)).toBe(grouped);
  });

  it('is grouped on the console, in an asset list and in show', () => {
    const line = consoleAssetLine(reader, license);
    expect(line).toContain(`C9300-DNA-E-24 · ${grouped}`);
    expect(line).toContain(`↳ 1.1 C9300-DNA-E-24-M ${grouped}`);
    const shown = consoleReply(reader, { kind: 'transfer', view: transferOf(12345) }).text;
    expect(shown).toContain(`C9300-DNA-E-24 ${grouped}`);
  });

  it('is grouped in Slack, in an asset list and on a transfer', () => {
    const line = slackAssetLine(license, reader);
    expect(line).toContain(`C9300-DNA-E-24 ${grouped}`);
    expect(line).toContain(`C9300-DNA-E-24-M ${grouped}`);
    const items = JSON.stringify(itemSections(transferOf(12345).items, reader, 10, 5));
    expect(items).toContain(`C9300-DNA-E-24 ${grouped}`);
  });

  it('is grouped in Teams, in an asset list and on a transfer card', () => {
    const texts = textsFor(reader);
    const summary = assetSummary(license, texts);
    expect(summary.title).toContain(`C9300-DNA-E-24 ${grouped}`);
    expect(summary.details).toContain(`C9300-DNA-E-24-M ${grouped}`);
    expect(JSON.stringify(itemList(transferOf(12345), texts))).toContain(`C9300-DNA-E-24 · ${grouped}`);
  });
});
