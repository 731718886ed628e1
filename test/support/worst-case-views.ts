import type { ItemView, TransferView } from '../../src/app/views.js';
import { msg, type Msg } from '../../src/i18n/index.js';

/**
 * The worst a transfer can be drawn with: names at the inventory's 200 characters, reasons, justification
 * and address at the 2,000 a person may type, in Japanese, holding markdown that must stay text.
 */
export const JA = '東京データセンター第二拠点の移管について、承認をお願いします。';
export const LINK = '[click](https://evil.example)';
export const fill = (text: string, length: number) =>
  `${text} `
    .repeat(Math.ceil(length / (text.length + 1)))
    .slice(0, length)
    .trim();
export const name200 = (prefix: string) => fill(`${prefix} ${JA}`, 200);
export const REASON = fill(`${JA} ${LINK}`, 2000);
export const at = new Date('2026-12-01T09:00:00Z');

export const person = (id: number, prefix: string) => ({
  id,
  name: name200(prefix),
  email: `p${id}@dst.example`,
});

/** A transfer of `itemCount` items whose transferee rejected it with a 2,000-character reason. */
export function rejectedTransfer(itemCount: number, reason: Msg = rejection): TransferView {
  const items: ItemView[] = Array.from({ length: itemCount }, (_, i) => ({
    id: i + 1,
    ref: `SO:${104800000 + i}-1`,
    kind: 'license',
    licenseId: i + 1,
    deviceId: null,
    pid: name200(`PID${i}`),
    quantity: 10,
    description: fill(JA, 2000),
    result: 'not_transferred',
    reason,
    warnings: [],
    movedAt: null,
    lastFailure: null,
    facts: {
      licenseType: 'smart',
      webOrder: name200('WO'),
      subscriptionId: name200('SUB'),
      pak: name200('PAK'),
      hostId: null,
      uuid: null,
      pnpStatus: null,
      registration: null,
      minorLines: [],
    },
  }));
  return {
    id: 'AT-7F3K9QJ2',
    status: 'cancelled',
    source: { domain: 'src.example', name: name200('Source SA'), legalEntity: name200('Source SAS') },
    sourceVirtualAccount: name200('VA'),
    destination: { domain: 'dst.example', name: name200('Dest SA'), legalEntity: name200('宛先株式会社') },
    destinationVirtualAccount: 'DEFAULT',
    sameLegalEntity: false,
    requestedByPartner: false,
    requester: person(1, 'Requester'),
    transferee: person(2, '受取人'),
    namedTransferor: null,
    justification: fill(`${JA} ${LINK}`, 2000),
    transfereeLegalName: name200('宛先株式会社'),
    transfereeAddress: fill(`東京都千代田区 ${JA}`, 2000),
    termsAccepted: { by: person(1, 'Requester'), at },
    createdAt: at,
    submittedAt: at,
    completedAt: at,
    completionPending: false,
    consents: [
      {
        role: 'transferee',
        person: person(2, '受取人'),
        decision: 'rejected',
        decidedBy: name200('受取人'),
        decidedByPerson: person(2, '受取人'),
        decidedAt: at,
        reason: REASON,
        mayAnswer: true,
      },
    ],
    screening: null,
    cancelReason: rejection,
    items,
    history: [
      {
        at,
        actor: name200('受取人'),
        surface: 'teams',
        action: 'consent.reject',
        from: 'awaiting_consent',
        to: 'cancelled',
        reason: REASON,
        reasonMsg: null,
        details: null,
      },
    ],
    actions: ['download'],
  };
}

export const rejection = msg('core:cancel.consentRejected', {
  name: name200('受取人'),
  role: 'transferee',
  reason: REASON,
});
