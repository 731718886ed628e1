/**
 * The few Adaptive Card shapes this bot draws, as plain JSON. Version 1.5 is what Teams renders on
 * desktop, web and mobile, and the first with `Action.Execute` (Universal Actions).
 */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.5';

export type CardElement = Record<string, unknown>;

export interface CardRefresh {
  action: { type: 'Action.Execute'; verb: string; data: Record<string, unknown> };
  userIds?: string[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardElement[];
  refresh?: CardRefresh;
  msteams?: { width: 'Full' };
}

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD;
  content: AdaptiveCard;
}

export function adaptiveCard(
  body: CardElement[],
  actions: CardElement[] = [],
  refresh?: CardRefresh,
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    ...(refresh ? { refresh } : {}),
    // Tables of items and histories need the whole width of the chat pane.
    msteams: { width: 'Full' },
  };
}

export function attachment(card: AdaptiveCard): CardAttachment {
  return { contentType: ADAPTIVE_CARD, content: card };
}

/**
 * Text typed by people (reasons, justifications, names) must not turn into markdown links or emphasis
 * on a card others read.
 */
export function plain(text: string): string {
  return text.replace(/([\\`*_[\]<>#])/g, '\\$1');
}

/**
 * The most characters of one typed value (a reason, a justification, a description) a card shows: a
 * value can be 2,000 characters, and a card repeats several. The whole text is in the Excel export.
 */
export const CARD_TEXT_MAX = 300;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text cut to at most `max` characters, with "…", never inside a character (an emoji, an accent). */
export function cut(text: string, max: number = CARD_TEXT_MAX): string {
  if ([...text].length <= max) return text;
  let kept = '';
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = [...segment].length;
    if (length + size > max - 1) break;
    kept += segment;
    length += size;
  }
  return `${kept.trimEnd()}…`;
}

/** Text someone typed, for a card: cut when long, then shown as written (see plain). */
export function brief(text: string, max: number = CARD_TEXT_MAX): string {
  return plain(cut(text, max));
}

/**
 * Teams refuses a message over about 28 KB (413 MessageSizeTooBig), and an update refused leaves the old
 * card with its buttons: every card is drawn to stay under this, measured as it is sent.
 */
export const CARD_BUDGET_BYTES = 24 * 1024;

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify({ type: 'message', attachments: [attachment(card)] }), 'utf8');
}

/**
 * A card with as many of its rows (items, assets, accounts, choices) as fit the budget. `draw(shown)`
 * draws the first `shown` rows and says how many more there are; `most` is the most it would show anyway.
 * Rows go from the end until the card fits; with none left, the card is sent as it is.
 */
export function fitCard(most: number, draw: (shown: number) => AdaptiveCard): AdaptiveCard {
  const whole = draw(most);
  if (most <= 0 || cardBytes(whole) <= CARD_BUDGET_BYTES) return whole;
  let best = draw(0);
  let low = 1;
  let high = most - 1;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const card = draw(middle);
    if (cardBytes(card) <= CARD_BUDGET_BYTES) {
      best = card;
      low = middle + 1;
    } else high = middle - 1;
  }
  return best;
}

interface TextOptions {
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  color?: 'Attention' | 'Good' | 'Warning' | 'Accent';
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Medium' | 'Large';
  separator?: boolean;
  id?: string;
}

export function textBlock(text: string, options: TextOptions = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function heading(text: string): CardElement {
  return textBlock(text, { weight: 'Bolder', size: 'Medium' });
}

export function subheading(text: string): CardElement {
  return textBlock(text, { weight: 'Bolder', spacing: 'Medium', separator: true });
}

/** Label/value pairs; empty values are left out rather than drawn as blank lines. */
export function factSet(facts: [string, string | null | undefined][]): CardElement {
  return {
    type: 'FactSet',
    facts: facts
      .filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '')
      .map(([title, value]) => ({ title, value })),
  };
}

export function bullets(lines: string[]): CardElement[] {
  return lines.map((line) => textBlock(`• ${line}`, { spacing: 'None' }));
}

export function container(items: CardElement[], options: Record<string, unknown> = {}): CardElement {
  return { type: 'Container', items, ...options };
}

export function actionSet(actions: CardElement[]): CardElement {
  return { type: 'ActionSet', actions };
}

/** A button whose click reaches the bot as an `adaptiveCard/action` invoke, answered with the new card. */
export function executeAction(
  title: string,
  verb: string,
  data: Record<string, unknown>,
  options: { style?: 'positive' | 'destructive'; inputs?: 'auto' | 'none' } = {},
): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    associatedInputs: options.inputs ?? 'none',
    ...(options.style ? { style: options.style } : {}),
  };
}

/** A button that posts its data back as a message (or, with a task type, opens or steps a dialog). */
export function submitAction(
  title: string,
  data: Record<string, unknown>,
  options: { style?: 'positive' | 'destructive'; inputs?: 'auto' | 'none' } = {},
): CardElement {
  return {
    type: 'Action.Submit',
    title,
    data,
    ...(options.inputs ? { associatedInputs: options.inputs } : {}),
    ...(options.style ? { style: options.style } : {}),
  };
}

export function showCardAction(title: string, card: AdaptiveCard): CardElement {
  return { type: 'Action.ShowCard', title, card };
}

export function textInput(
  id: string,
  options: {
    label?: string;
    placeholder?: string;
    value?: string;
    multiline?: boolean;
    maxLength?: number;
  } = {},
): CardElement {
  return {
    type: 'Input.Text',
    id,
    ...(options.label ? { label: options.label } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.multiline ? { isMultiline: true } : {}),
    maxLength: options.maxLength ?? 1000,
  };
}

export function choiceSet(
  id: string,
  choices: { title: string; value: string }[],
  options: { label?: string; value?: string; expanded?: boolean; placeholder?: string } = {},
): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id,
    choices,
    ...(options.label ? { label: options.label } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    // Long lists (accounts, Virtual Accounts) are searchable as the user types.
    style: options.expanded ? 'expanded' : 'filtered',
  };
}

export function toggle(id: string, title: string, value: boolean): CardElement {
  return {
    type: 'Input.Toggle',
    id,
    title,
    value: value ? 'true' : 'false',
    valueOn: 'true',
    valueOff: 'false',
    wrap: true,
  };
}
