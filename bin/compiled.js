// Whether dist/ (written by bin/build.js) holds the command line compiled from the sources as they are now:
// no source it was built from is newer than it. bin/transfer-bot.js runs it only then, and the benchmarks
// refuse to measure a bot that would compile its sources on load instead.
import { readFileSync, statSync } from 'node:fs';

export const compiled = new URL('../dist/transfer-bot.mjs', import.meta.url);

export function compiledIsCurrent() {
  try {
    const builtAt = statSync(compiled).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('../dist/inputs.json', import.meta.url), 'utf8'));
    return inputs.every((input) => statSync(new URL(`../${input}`, import.meta.url)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}
