import type { GuideTopic } from '../commands/command.js';
import type { Msg } from '../domain/msg.js';
import { msg } from '../domain/msg.js';
import { STATUSES } from '../domain/status.js';
import { translate, type Locale } from '../i18n/index.js';

/** A page of help as every surface draws it: a title, then entries, each with an optional label. */
export interface Guide {
  title: Msg;
  /** A text is a message to translate, or the operator's own words (SUPPORT_CONTACT) shown as written. */
  entries: { label: Msg | null; text: Msg | string }[];
}

/** The guide for a topic. `supportContact` is the operator's SUPPORT_CONTACT, when set. */
export function guide(topic: GuideTopic, supportContact: string | undefined): Guide {
  if (topic === 'statuses')
    return {
      title: msg('common:guide.statuses.title'),
      entries: STATUSES.map((status) => ({
        label: msg(`status:label.${status}`),
        text: msg(`status:description.${status}`),
      })),
    };
  return {
    title: msg('common:guide.support.title'),
    entries: [{ label: null, text: supportContact ?? msg('common:guide.support.default') }],
  };
}

/** A guide entry's text in the reader's language (the operator's own words as written). */
export function guideText(locale: Locale, text: Msg | string): string {
  return typeof text === 'string' ? text : translate(locale, text.key, text.params);
}

/**
 * The line added under a failure that is not the reader's to fix: where to get help if it keeps happening.
 */
export function supportFooter(locale: Locale, supportContact: string | undefined): string {
  return translate(locale, 'common:guide.support.footer', {
    contact: supportContact ?? translate(locale, 'common:guide.support.default'),
  });
}
