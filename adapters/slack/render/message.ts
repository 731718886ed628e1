import type { MessageContent } from '../../../src/app/delivery-port.js';
import { tr, type Locale } from '../../../src/i18n/index.js';
import { ACTION, BLOCK } from '../ids.js';
import { actions, button, context, esc, section, type Block } from './blocks.js';

/** A status message from the outbox: the headline, the steps and reasons, and a way to open the transfer. */
export function statusMessage(content: MessageContent, locale: Locale): { text: string; blocks: Block[] } {
  const text = tr(locale, content.text);
  const blocks: Block[] = [section(`*${esc(text)}*`)];
  const lines = content.lines.map((l) => esc(tr(locale, l)));
  if (lines.length > 0) blocks.push(context(lines));
  if (content.transferId) {
    blocks.push(
      actions(BLOCK.transfer, [
        button(tr(locale, { key: 'common:button.viewTransaction' }), ACTION.view, content.transferId),
      ]),
    );
  }
  // The text notifications show is mrkdwn too: a name or a reason in it is shown as written.
  return { text: esc(text), blocks };
}
