// Run after every install (npm's `postinstall`). postgres.js 3.4.x ends the whole process when a
// transaction's connection closes while it is in flight (the server restarted or failed over, the backend
// was terminated, the network dropped it): the transaction's own ROLLBACK is written from a timer to a
// socket that is already gone, and the TypeError escapes every caller (postgres.js issues 1066, 1154 and
// 1208; pull requests 1168 and 1209, not released). This makes that write settle instead: the queries
// waiting on the connection fail with CONNECTION_CLOSED, as the transaction already has, and the pool
// opens a new connection for the next query. test/db/connection-lost.test.ts proves it against a server.
// Each file is changed once; a postgres.js that no longer has the faulty lines is left as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const FAULTY = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const GUARDED = `  function nextWrite(fn) {
    // Patched by asset-transfer-bot (bin/patch-postgres.js): a write left for after the close.
    if (!socket) {
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      query = null
      return false
    }
    const x = socket.write(chunk, fn)`;

let root;
try {
  // The package's entry (its cjs/src/index.js), then up to the folder with its package.json.
  root = dirname(createRequire(import.meta.url).resolve('postgres'));
  const isPackage = (dir) =>
    existsSync(join(dir, 'package.json')) &&
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'postgres';
  while (!isPackage(root) && dirname(root) !== root) root = dirname(root);
  if (!isPackage(root)) process.exit(0);
} catch {
  process.exit(0); // not installed (yet): nothing to mend
}
for (const flavour of ['src', 'cjs/src', 'cf/src']) {
  const file = join(root, flavour, 'connection.js');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(GUARDED)) continue;
  if (!text.includes(FAULTY)) {
    console.warn(`patch-postgres: ${file} has changed; left as it is`);
    continue;
  }
  writeFileSync(file, text.replace(FAULTY, GUARDED));
}
