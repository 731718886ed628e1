/**
 * A value placed in a command line a button sends back (`assets acme.com/"Lyon Lab" devices`):
 * quoted when it holds a space or a quote character, so the grammar reads it as one word.
 */
export function quoteWord(value: string): string {
  const clean = value.replace(/["“”„]/g, '');
  return /[\s'‘’«「『]/u.test(clean) ? `"${clean}"` : clean;
}

/** `SA` or `SA/VA` as a command word. */
export function accountWord(domain: string, virtualAccount?: string | null): string {
  return virtualAccount ? `${quoteWord(domain)}/${quoteWord(virtualAccount)}` : quoteWord(domain);
}
