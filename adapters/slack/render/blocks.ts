import type { types } from '@slack/bolt';
import { accountLabel } from '../../../src/i18n/index.js';
import type { Locale } from '../../../src/i18n/locale.js';

export type Block = types.KnownBlock;
export type Button = types.Button;
export type PlainOption = types.PlainTextOption;

/** Slack's mrkdwn treats &, < and > as control characters: anything a person typed is escaped. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack refuses a whole message when one text is over its limit, so every text is cut to fit. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function plain(text: string, max = 2000): types.PlainTextElement {
  return { type: 'plain_text', text: cut(text, max) || ' ', emoji: true };
}

export function mrkdwn(text: string, max = 3000): types.MrkdwnElement {
  return { type: 'mrkdwn', text: cut(text, max) || ' ' };
}

export function section(text: string, blockId?: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text), ...(blockId ? { block_id: blockId } : {}) };
}

/** A section of label/value pairs (at most ten, Slack's limit). */
export function fields(pairs: [string, string][]): types.SectionBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => mrkdwn(`*${label}*\n${value}`, 2000)),
  };
}

/** Slack draws at most ten elements in a context block. */
const CONTEXT_ELEMENTS = 10;

/**
 * Small print, one element per line; past ten lines, the lines are shared out over the ten elements in
 * order (a few to each), so none is dropped.
 */
export function context(texts: string[]): types.ContextBlock {
  const per = Math.ceil(texts.length / CONTEXT_ELEMENTS) || 1;
  const elements: string[] = [];
  for (let i = 0; i < texts.length; i += per) elements.push(texts.slice(i, i + per).join('\n'));
  return { type: 'context', elements: elements.map((t) => mrkdwn(t, 3000)) };
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plain(text, 150) };
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
  confirm?: types.ConfirmationDialog,
): Button {
  return {
    type: 'button',
    text: plain(text, 75),
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
    ...(confirm ? { confirm } : {}),
  };
}

export function actions(blockId: string, elements: types.ActionsBlockElement[]): types.ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, 25) };
}

/** Slack's limit on an option's text and description. */
export const OPTION_TEXT_MAX = 75;

export function option(text: string, value: string, description?: string): PlainOption {
  return {
    text: plain(text, OPTION_TEXT_MAX),
    value: cut(value, 150),
    ...(description ? { description: plain(description, OPTION_TEXT_MAX) } : {}),
  };
}

/**
 * A Smart Account named as `accountLabel` names it, within `max` characters: its domain stays whole and its
 * name is shortened, so two accounts whose long names differ only at the end are still told apart.
 */
export function fittedAccountLabel(
  locale: Locale,
  account: { name: string; domain: string },
  max = OPTION_TEXT_MAX,
): string {
  const whole = accountLabel(locale, account);
  if (whole.length <= max) return whole;
  const room = max - (whole.length - account.name.length);
  return room < 2
    ? cut(account.domain, Math.max(1, max))
    : accountLabel(locale, { ...account, name: cut(account.name, room) });
}

/**
 * Long lists go into several sections of at most `max` characters each (Slack: 3,000 per text),
 * never splitting a line.
 */
export function chunkedSections(lines: string[], max = 2900): types.SectionBlock[] {
  const out: types.SectionBlock[] = [];
  let current = '';
  for (const line of lines) {
    const piece = cut(line, max);
    if (current && current.length + 1 + piece.length > max) {
      out.push(section(current));
      current = piece;
    } else {
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) out.push(section(current));
  return out;
}

/**
 * A list in at most `most` sections: `lines(shown)` gives its first `shown` lines and one counting the
 * rest; as many are shown as fit.
 */
export function fittedSections(
  total: number,
  lines: (shown: number) => string[],
  most: number,
): types.SectionBlock[] {
  const whole = chunkedSections(lines(total));
  if (whole.length <= most) return whole;
  let best = chunkedSections(lines(0)).slice(0, most);
  let low = 1;
  let high = total - 1;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const sections = chunkedSections(lines(middle));
    if (sections.length <= most) {
      best = sections;
      low = middle + 1;
    } else high = middle - 1;
  }
  return best;
}
