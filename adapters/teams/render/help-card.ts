import { guideText, type Guide } from '../../../src/app/guides.js';
import { COMMAND_WORDS, NEW_OPTIONS, USAGE, type CommandWord } from '../../../src/commands/command.js';
import { adaptiveCard, heading, textBlock, type AdaptiveCard, type CardElement } from './card.js';
import type { Texts } from './texts.js';

/** `help` and `help COMMAND`: the command grammar, described in the reader's language. */
export function renderHelpCard(texts: Texts, topic?: CommandWord): AdaptiveCard {
  const body: CardElement[] = [];
  if (topic) {
    body.push(heading(topic));
    for (const usage of USAGE[topic])
      body.push(textBlock(texts.t('grammar:guide.usage', { usage: `\`${usage}\`` })));
    body.push(textBlock(texts.t(`grammar:help.${topic}`)));
    if (topic === 'new')
      body.push(
        ...NEW_OPTIONS.map((o) => textBlock(`• ${texts.t(`grammar:option.${o}`)}`, { spacing: 'None' })),
      );
    if (topic === 'new' || topic === 'assets')
      body.push(textBlock(texts.t('grammar:guide.refs'), { isSubtle: true }));
    return adaptiveCard(body);
  }
  body.push(heading(texts.t('common:app.name')), textBlock(texts.t('grammar:guide.intro')));
  for (const word of COMMAND_WORDS) {
    body.push(textBlock(`**${USAGE[word].map((u) => `\`${u}\``).join(' · ')}**`, { spacing: 'Small' }));
    body.push(textBlock(texts.t(`grammar:help.${word}`), { isSubtle: true, spacing: 'None' }));
  }
  body.push(
    textBlock(texts.t('teams:help.howToTalk'), { spacing: 'Medium', separator: true }),
    textBlock(texts.t('grammar:guide.quoting'), { isSubtle: true }),
    textBlock(texts.t('grammar:guide.more'), { isSubtle: true }),
  );
  return adaptiveCard(body);
}

/** `help statuses`, `help support`: a title and its entries, each label in bold. */
export function renderGuideCard(texts: Texts, guide: Guide): AdaptiveCard {
  const body: CardElement[] = [heading(texts.cardMsg(guide.title))];
  for (const entry of guide.entries) {
    if (entry.label) body.push(textBlock(`**${texts.cardMsg(entry.label)}**`, { spacing: 'Small' }));
    body.push(
      textBlock(guideText(texts.reader.locale, entry.text), { spacing: entry.label ? 'None' : 'Small' }),
    );
  }
  return adaptiveCard(body);
}
