/**
 * Builds the Teams app package to upload (Teams admin center or "Upload a custom app"): manifest.json with
 * the bot's Microsoft App ID filled in, and the two icons, at the root of one zip.
 *
 *   MICROSOFT_APP_ID=<guid> npm run package:teams [-- --out path/to/package.zip]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

export const MANIFEST_DIR = fileURLToPath(new URL('../../manifest/teams/', import.meta.url));
export const DEFAULT_OUT = join(MANIFEST_DIR, 'build', 'transfer-bot-teams.zip');

const PLACEHOLDER = '{{MICROSOFT_APP_ID}}';
const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// A fixed timestamp makes two builds of the same inputs byte-identical, so a changed zip means a change.
const ZIP_DATE = new Date('2024-01-01T00:00:00Z');

/** A refusal with the one line the user should read. */
export class PackageError extends Error {}

/** The manifest text with every placeholder filled; refuses an app ID Teams would refuse. */
export function fillManifest(template: string, appId: string | undefined): string {
  if (appId === undefined || appId.trim() === '') {
    throw new PackageError('MICROSOFT_APP_ID is not set: set it to the bot’s Microsoft App ID (a GUID)');
  }
  if (!GUID.test(appId.trim())) {
    throw new PackageError(`MICROSOFT_APP_ID is not a GUID: "${appId}"`);
  }
  const filled = template.split(PLACEHOLDER).join(appId.trim());
  const leftover = /\{\{[A-Z0-9_]+\}\}/.exec(filled);
  if (leftover !== null) throw new PackageError(`manifest.json has an unknown placeholder ${leftover[0]}`);
  JSON.parse(filled); // a template edited into invalid JSON fails here, not in the Teams upload dialog
  return filled;
}

export async function buildPackage(
  appId: string | undefined,
  manifestDir: string = MANIFEST_DIR,
): Promise<Buffer> {
  const manifest = fillManifest(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'), appId);
  const { icons } = JSON.parse(manifest) as { icons: { color: string; outline: string } };
  const zip = new JSZip();
  zip.file('manifest.json', manifest, { date: ZIP_DATE });
  for (const icon of [icons.color, icons.outline]) {
    zip.file(icon, readFileSync(join(manifestDir, icon)), { date: ZIP_DATE });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

function parseOut(args: readonly string[]): string {
  if (args.length === 0) return DEFAULT_OUT;
  const [flag, value, ...rest] = args;
  if (flag === '--out' && value !== undefined && value !== '' && rest.length === 0) return resolve(value);
  throw new PackageError('usage: package-app [--out FILE.zip]');
}

async function main(): Promise<number> {
  let out: string;
  try {
    out = parseOut(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  try {
    const zip = await buildPackage(process.env['MICROSOFT_APP_ID']);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    const message =
      err instanceof PackageError ? err.message : `cannot build the Teams package: ${(err as Error).message}`;
    process.stderr.write(`${message.split('\n')[0] ?? message}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
