import { msg, type MessageKey, type Msg } from '../../domain/msg.js';
import type { Person } from './journey.js';
import type { JourneyView } from './service.js';

/** One answer as the review reads it back: a person's own text, words of the catalog, or a person. */
export type ReviewValue =
  | { kind: 'text'; text: string }
  | { kind: 'words'; words: Msg }
  | { kind: 'person'; email: string; known?: Person };

export interface ReviewAnswer {
  field: MessageKey;
  value: ReviewValue;
}

/**
 * The answers the review reads back before Submit for Review, after the accounts (each surface shows the
 * route its own way): the same-company answer, then, where the journey asked them, the transferee, the
 * transferor (or every eligible admin), the transferee company's legal name and address, the business
 * justification and the terms. One list for every surface, so none shows less than another.
 */
export function reviewAnswers(
  view: Pick<JourneyView, 'state' | 'asked' | 'named' | 'company'>,
): ReviewAnswer[] {
  const { state, asked, named, company } = view;
  const answers: ReviewAnswer[] = [
    {
      field: 'common:field.sameCompany',
      value: { kind: 'words', words: msg(state.sameCompany ? 'common:answer.yes' : 'common:answer.no') },
    },
  ];
  const text = (field: MessageKey, value: string | undefined) => {
    if (value) answers.push({ field, value: { kind: 'text', text: value } });
  };
  if (asked.includes('transferee') && state.transferee)
    answers.push({
      field: 'common:field.transferee',
      value: {
        kind: 'person',
        email: state.transferee,
        ...(named?.transferee ? { known: named.transferee } : {}),
      },
    });
  if (asked.includes('transferor'))
    answers.push({
      field: 'common:field.transferor',
      value: state.transferor
        ? {
            kind: 'person',
            email: state.transferor,
            ...(named?.transferor ? { known: named.transferor } : {}),
          }
        : { kind: 'words', words: msg('core:journey.review.allTransferors') },
    });
  if (asked.includes('justification')) {
    // As the request records them: the form's answer, else the inventory's (a console form only shows it).
    text('common:field.transfereeLegalName', state.transfereeLegalName || (company?.legalName ?? undefined));
    text('common:field.address', state.transfereeAddress || (company?.address ?? undefined));
    text('common:field.businessJustification', state.justification);
  }
  if (asked.includes('terms'))
    answers.push({
      field: 'common:field.termsAndConditions',
      value: {
        kind: 'words',
        words: msg(
          state.termsAccepted ? 'core:journey.review.termsAccepted' : 'core:journey.review.termsNotAccepted',
        ),
      },
    });
  return answers;
}
