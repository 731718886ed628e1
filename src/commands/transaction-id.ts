import { z } from 'zod';

/** `AT-` and eight letters or digits, e.g. `AT-7F3K9QJ2`. */
export const TRANSACTION_ID_PATTERN = /^AT-[0-9A-Z]{8}$/;

/** Accepts what people type (lower case, full-width from a Japanese keyboard) and gives the canonical id. */
export const transactionIdSchema = z
  .string()
  .transform((text) => text.normalize('NFKC').trim().toUpperCase())
  .pipe(z.string().regex(TRANSACTION_ID_PATTERN));

export function parseTransactionId(text: string): string | undefined {
  const result = transactionIdSchema.safeParse(text);
  return result.success ? result.data : undefined;
}

/** True when the word was meant as a transaction id, even a mistyped one: `export AT-12` is not a domain. */
export function looksLikeTransactionId(text: string): boolean {
  return /^AT-[^.]*$/i.test(text.normalize('NFKC').trim());
}
