/** The compiled command line's entry (dist/transfer-bot.mjs). */
export const compiled: URL;
/** Whether dist/ was built from the sources as they are now (none of them is newer). */
export function compiledIsCurrent(): boolean;
