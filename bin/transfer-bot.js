#!/usr/bin/env -S node --max-semi-space-size=16
// The young generation of the heap: 16 MB semispaces (Node 20's own), set here so every Node version runs
// the bot alike. Smaller ones (4 MB) held no less at rest once started, and under a flood of requests
// collected garbage often enough to cost a quarter more CPU per acknowledgement. `npm start` passes it too.
// Runs the compiled command line (dist/, written by `npm install` through bin/build.js) while none of
// its sources is newer than it; otherwise the TypeScript sources run as they are, compiled on load by
// tsx, so an edit is never hidden behind a stale compiled file.
import { compiled, compiledIsCurrent } from './compiled.js';

let main;
if (process.env.TRANSFER_BOT_FROM_SOURCE !== '1' && compiledIsCurrent()) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../adapters/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
