import type { DraftOffer } from '../../../src/app/journey/in-progress.js';
import { draftOfferMessage } from './reply.js';
import type { types } from '@slack/bolt';
import type { TransferView } from '../../../src/app/views.js';
import type { TransferAction } from '../../../src/domain/permissions.js';
import { tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import { CALLBACK } from '../ids.js';
import { cut, esc, plain, section, type Block } from './blocks.js';
import { transferBlocks } from './transfer.js';
import { t } from './reader-text.js';

/** A modal; Slack caps titles and button labels at 24 characters and a view at 100 blocks. */
export function modal(o: {
  title: string;
  blocks: Block[];
  callbackId: string;
  metadata?: string;
  submit?: string;
  close?: string;
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: o.callbackId,
    title: plain(cut(o.title, 24), 24),
    blocks: o.blocks.slice(0, 100),
    ...(o.metadata !== undefined ? { private_metadata: o.metadata } : {}),
    ...(o.submit ? { submit: plain(cut(o.submit, 24), 24) } : {}),
    ...(o.close ? { close: plain(cut(o.close, 24), 24) } : {}),
  };
}

/** A transfer in a modal (View, View / Provide Consent, the wizard's last step). */
export function transferModal(
  view: TransferView,
  reader: Reader,
  opts: {
    notice?: Msg | undefined;
    warnings?: Msg[] | undefined;
    buttons?: readonly TransferAction[];
    callbackId?: string;
  } = {},
): types.ModalView {
  return modal({
    title: t(reader, 'slack:modal.transferTitle'),
    callbackId: opts.callbackId ?? CALLBACK.transferView,
    metadata: view.id,
    close: t(reader, 'common:button.close'),
    blocks: transferBlocks(view, reader, {
      notice: opts.notice,
      warnings: opts.warnings,
      history: true,
      ...(opts.buttons ? { buttons: opts.buttons } : {}),
    }),
  });
}

/** A short message in a modal, where no message can be posted (App Home, on top of another modal). */
/** The offer of a request in progress, as the first view of the shortcut or the Home tab's button. */
export function draftOfferModal(offer: DraftOffer, reader: Reader, gone?: Msg): types.ModalView {
  return modal({
    title: t(reader, 'common:app.name'),
    callbackId: CALLBACK.notice,
    close: t(reader, 'common:button.close'),
    // Opened from a button whose draft is gone: why, above the request still in progress.
    blocks: [...(gone ? [section(esc(tr(reader, gone)))] : []), ...draftOfferMessage(offer, reader).blocks],
  });
}

export function noticeModal(text: Msg | string, reader: Reader, details: Msg[] = []): types.ModalView {
  const main = typeof text === 'string' ? text : tr(reader, text);
  const lines = details.map((d) => `• ${esc(tr(reader, d))}`);
  return modal({
    title: t(reader, 'common:app.name'),
    callbackId: CALLBACK.notice,
    close: t(reader, 'common:button.close'),
    blocks: [section(esc(main)), ...(lines.length ? [section(lines.join('\n'))] : [])],
  });
}
