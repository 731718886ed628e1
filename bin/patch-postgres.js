// Run after every install (npm's `postinstall`). postgres.js 3.4.x ends the whole process in two places
// where a connection fails, and no caller can catch either; this mends both in the installed driver.
// - A transaction's connection closes while it is in flight (the server restarted or failed over, the
//   backend was terminated, the network dropped it): the transaction's own ROLLBACK is written from a
//   timer to a socket that is already gone, and the TypeError escapes (postgres.js issues 1066, 1154 and
//   1208; pull requests 1168 and 1209, not released). The write now settles: the queries waiting on the
//   connection fail with CONNECTION_CLOSED, as the transaction already has, and the pool opens a new one.
//   test/db/connection-lost.test.ts proves it against a server.
// - A new connection's first statement, the driver's own query for the server's array types, fails (the
//   connection is cut or its backend ended while it starts, a statement timeout cancels it): nobody waits
//   for it, so its error ends the process as an unhandled rejection (issues 279, 1192, 1205 and 1223, open).
//   That failure is now the connection's alone; the query that opened the connection hears of it as
//   before. test/db/connection-lost.test.ts proves it too.
// Each file is changed once; a postgres.js that no longer has the faulty lines is left as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PATCHES = [
  {
    faulty: `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
    guarded: `  function nextWrite(fn) {
    // Patched by asset-transfer-bot (bin/patch-postgres.js): a write left for after the close.
    if (!socket) {
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      query = null
      return false
    }
    const x = socket.write(chunk, fn)`,
  },
  {
    faulty: `        return fetchArrayTypes()
`,
    guarded: `        // Patched by asset-transfer-bot (bin/patch-postgres.js): the types query's failure is the connection's.
        return fetchArrayTypes().catch(noop)
`,
  },
];

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
  let text = readFileSync(file, 'utf8');
  for (const { faulty, guarded } of PATCHES) {
    if (text.includes(guarded)) continue;
    if (!text.includes(faulty)) {
      console.warn(`patch-postgres: ${file} has changed; left as it is`);
      continue;
    }
    text = text.replace(faulty, guarded);
  }
  writeFileSync(file, text);
}
