/**
 * The verbs of `Action.Execute` buttons. The decision verbs are part of the bot's documented interface; the others are this
 * adapter's own (the requester's buttons on a transfer card, and the card refresh Teams asks for).
 */
export const DECISION_VERBS = {
  consent_approve: { command: 'consent', decision: 'approve' },
  consent_reject: { command: 'consent', decision: 'reject' },
  compliance_approve: { command: 'screen', decision: 'approve' },
  compliance_reject: { command: 'screen', decision: 'reject' },
} as const;

export type DecisionVerb = keyof typeof DECISION_VERBS;

export const TRANSFER_VERBS = {
  transfer_submit: 'submit',
  transfer_cancel: 'cancel',
  transfer_retry: 'retry',
} as const;

export type TransferVerb = keyof typeof TRANSFER_VERBS;

/** Teams sends this verb on its own when someone listed in a card's `refresh.userIds` opens the card. */
export const REFRESH_VERB = 'refresh';

export function isDecisionVerb(verb: string): verb is DecisionVerb {
  return Object.hasOwn(DECISION_VERBS, verb);
}

export function isTransferVerb(verb: string): verb is TransferVerb {
  return Object.hasOwn(TRANSFER_VERBS, verb);
}
