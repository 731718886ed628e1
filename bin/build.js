#!/usr/bin/env node
// Compiles the command line into dist/transfer-bot.mjs (and the parts it loads when first needed, beside
// it), which bin/transfer-bot.js runs while no source is newer than it. Without it (or once a source has
// changed) the sources run as they are, compiled on load; the compiled files only spare a running bot
// that compiler's time and memory.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Another folder than dist/ when one is given (the tests build into their own).
const dist = process.argv[2]
  ? `${resolve(process.argv[2])}/`
  : fileURLToPath(new URL('../dist/', import.meta.url));
const out = `${dist}transfer-bot.mjs`;
const temporary = `${dist}.${process.pid}.tmp/`;
/** Files of earlier builds no newer build uses are removed once this old (a bot started before may still load one). */
const KEEP_UNUSED_MS = 7 * 24 * 3600 * 1000;

// Files that find their neighbours (catalogs, migrations, the demo inventory) through import.meta.url
// keep finding them from the compiled files (all in one folder).
const keepFileUrls = {
  name: 'keep-file-urls',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const fromDist = relative(dist, path).split('\\').join('/');
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

mkdirSync(dist, { recursive: true });
const result = await build({
  entryPoints: {
    'transfer-bot': `${root}adapters/cli/main.ts`,
    // Loaded by this script, below: it makes the blank embedded database.
    'embedded-engine': `${root}db/embedded-engine.ts`,
  },
  outdir: temporary,
  outExtension: { '.js': '.mjs' },
  // What a path loads only when it is first needed (Slack, Teams, Excel, the console…) stays in a file of
  // its own, with the libraries it imports: in one file, every library would load with every command.
  splitting: true,
  chunkNames: '[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
  plugins: [keepFileUrls],
});
const inputs = Object.keys(result.metafile.inputs).map((p) =>
  relative(root, `${root}${p}`).split('\\').join('/'),
);
// The parts first (named by their content, so a bot already running keeps loading the ones it was built
// with), the entry last: until it is renamed into place, `transfer-bot` runs the previous build.
const written = readdirSync(temporary);
for (const file of written)
  if (file !== 'transfer-bot.mjs') renameSync(`${temporary}${file}`, `${dist}${file}`);
writeFileSync(`${dist}inputs.json`, `${JSON.stringify(inputs)}\n`);
renameSync(`${temporary}transfer-bot.mjs`, out);
rmSync(temporary, { recursive: true, force: true });
for (const file of readdirSync(dist)) {
  const path = `${dist}${file}`;
  if (
    file.endsWith('.mjs') &&
    !written.includes(file) &&
    Date.now() - statSync(path).mtimeMs > KEEP_UNUSED_MS
  )
    rmSync(path, { force: true });
}
process.stdout.write(`compiled ${inputs.length} sources into ${relative(process.cwd(), out) || out}\n`);

// The blank embedded database a new data folder starts from (db/embedded-engine.ts), made by the engine
// installed now, once per version of it: only for the bot's own dist/ (the tests build elsewhere).
if (!process.argv[2]) {
  const started = Date.now();
  try {
    const { makeBlankDatabase, BLANK_DATABASE_DIR } = await import(
      pathToFileURL(`${dist}embedded-engine.mjs`).href
    );
    if (await makeBlankDatabase()) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const where = relative(process.cwd(), BLANK_DATABASE_DIR);
      process.stdout.write(`made a blank embedded database in ${where} (${seconds} s)\n`);
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `no blank embedded database was made (${why}): a new data folder's first start creates its own, ` +
        'which takes longer\n',
    );
  }
}
