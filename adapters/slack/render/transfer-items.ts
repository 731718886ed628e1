import type { types } from '@slack/bolt';
import { assetFacts } from '../../../src/app/asset-rows.js';
import { sharedReasons } from '../../../src/app/item-reasons.js';
import { inShowingOrder, itemsLeftOut, leftOutNotes } from '../../../src/app/item-order.js';
import type { ItemView } from '../../../src/app/views.js';
import { formatQuantity, tr, type Reader } from '../../../src/i18n/index.js';
import { chunkedSections, esc } from './blocks.js';
import { t } from './reader-text.js';

/** "*Items* (3)", "*アイテム*（3）": the heading of a list of items, counted as the reader writes it. */
export function itemsHeading(reader: Reader, count: number): string {
  return t(reader, 'common:format.counted', { label: `*${t(reader, 'common:field.items')}*`, count });
}

/**
 * The first `max` items in showing order (the failed, then those with warnings) with their results, in at
 * most `sections` sections: a reason several items share is said once, above them (a rejection's 2,000
 * characters would otherwise fill the message after a few items), and the items that do not fit are
 * counted, with how many of them failed or carry warnings, never dropped silently.
 */
export function itemSections(
  stored: ItemView[],
  reader: Reader,
  max: number,
  sections: number,
): types.SectionBlock[] {
  const items = inShowingOrder(stored);
  const { shared, isShared } = sharedReasons(items);
  const more = (shown: number) =>
    shown < items.length
      ? [
          t(reader, 'slack:transfer.moreItems', { count: items.length - shown }),
          ...leftOutNotes(itemsLeftOut(items, shown)).map((note) => esc(tr(reader, note))),
        ]
      : [];
  let lines = shared.map((group) =>
    esc(
      t(reader, 'common:items.sameReason', {
        count: group.count,
        result: t(reader, `common:itemResult.${group.result}`),
        reason: tr(reader, group.reason),
      }),
    ),
  );
  let shown = 0;
  for (const item of items.slice(0, max)) {
    const qty =
      item.quantity !== null && item.kind === 'license'
        ? ` ${formatQuantity(item.quantity, reader.locale)}`
        : '';
    const result = t(reader, `common:itemResult.${item.result}`);
    const facts = item.facts ? assetFacts(reader.locale, item.facts).map((fact) => ` · ${esc(fact)}`) : [];
    const next = [
      ...lines,
      `• \`${esc(item.ref)}\` ${esc(item.pid ?? '')}${qty}${facts.join('')} — _${result}_`,
    ];
    for (const minor of item.facts?.minorLines ?? [])
      next.push(
        `    ◦ \`${esc(minor.line)}\` ${esc(minor.pid)} ${formatQuantity(minor.quantity, reader.locale)}`,
      );
    if (item.reason && !isShared(item)) next.push(`    ↳ ${esc(tr(reader, item.reason))}`);
    for (const w of item.warnings) next.push(`    :warning: ${esc(tr(reader, w))}`);
    if (shown > 0 && chunkedSections([...next, ...more(shown + 1)]).length > sections) break;
    lines = next;
    shown += 1;
  }
  return chunkedSections([...lines, ...more(shown)]).slice(0, sections);
}
