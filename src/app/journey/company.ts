import { msg } from '../../domain/msg.js';
import type { Answered, JourneyState } from './journey.js';

/** The longest transferee company legal name and address the request form takes. */
export const COMPANY_LIMITS = { transfereeLegalName: 500, transfereeAddress: 1000 } as const;
const COMPANY_FIELD_KEYS = {
  transfereeLegalName: 'common:field.transfereeLegalName',
  transfereeAddress: 'common:field.address',
} as const;

/**
 * The request form's transferee company as the requester corrected it (prefilled from the inventory); a
 * blank field leaves the inventory's value. Refused, changing nothing, when a field is too long.
 */
export function answerCompany(
  state: JourneyState,
  company: { legalName?: string | undefined; address?: string | undefined },
): Answered {
  const next: JourneyState = { ...state };
  const given = { transfereeLegalName: company.legalName, transfereeAddress: company.address };
  for (const field of ['transfereeLegalName', 'transfereeAddress'] as const) {
    const value = given[field];
    if (value === undefined) continue;
    const trimmed = value.trim();
    const max = COMPANY_LIMITS[field];
    if (trimmed.length > max)
      return {
        ok: false,
        error: msg('core:refusal.tooLong', {
          fieldKey: COMPANY_FIELD_KEYS[field],
          length: trimmed.length,
          max,
        }),
      };
    if (trimmed === '') delete next[field];
    else next[field] = trimmed;
  }
  return { ok: true, state: next };
}
