#!/usr/bin/env node
// Compiles the command line into one file, dist/transfer-bot.mjs, that bin/transfer-bot.js runs while no
// source is newer than it. Without it (or once a source has changed) the sources run as they are, compiled
// on load; the compiled file only spares a running bot that compiler's time and memory.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const out = `${dist}transfer-bot.mjs`;
const temporary = `${out}.${process.pid}.tmp`;

// Files that find their neighbours (catalogs, migrations, the demo inventory) through import.meta.url
// keep finding them from the one compiled file.
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
  entryPoints: [`${root}adapters/cli/main.ts`],
  outfile: temporary,
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
writeFileSync(`${dist}inputs.json`, `${JSON.stringify(inputs)}\n`);
renameSync(temporary, out);
process.stdout.write(`compiled ${inputs.length} sources into ${relative(process.cwd(), out) || out}\n`);
