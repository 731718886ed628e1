import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import Ajv from 'ajv';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_WORDS } from '../../src/commands/command.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEAMS_DIR = join(ROOT, 'manifest/teams');
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const template = readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8');
const withId = (id: string): unknown => JSON.parse(template.split('{{MICROSOFT_APP_ID}}').join(id));

interface TeamsManifest {
  id: string;
  icons: { color: string; outline: string };
  validDomains: string[];
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    commandLists: { scopes: string[]; commands: { title: string }[] }[];
  }[];
}

function validator() {
  // The official schema declares draft-04 (with draft-06's `const`); ajv 6 reads it once given that meta-schema.
  const require = createRequire(import.meta.url);
  const draft04 = JSON.parse(
    readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(draft04);
  const schema = JSON.parse(
    readFileSync(join(TEAMS_DIR, 'schema/MicrosoftTeams.schema.v1.17.json'), 'utf8'),
  ) as object;
  return { ajv, validate: ajv.compile(schema) };
}

describe('Teams app manifest', () => {
  const { ajv, validate } = validator();

  it('is valid against the official v1.17 schema once the app ID is filled in', () => {
    const valid = validate(withId(APP_ID));
    expect(ajv.errorsText(validate.errors), 'schema errors').toBe('No errors');
    expect(valid).toBe(true);
  });

  it('is refused by the same schema with an ID that is not a GUID (the check has teeth)', () => {
    expect(validate(withId('not-a-guid'))).toBe(false);
  });

  it('offers every chat command across its command lists', () => {
    const manifest = withId(APP_ID) as TeamsManifest;
    const [bot] = manifest.bots;
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.supportsFiles).toBe(true);
    expect(bot?.botId).toBe(APP_ID);
    const lists = bot?.commandLists ?? [];
    expect(lists.map((l) => l.scopes[0])).toEqual(['personal', 'team']);
    const titles = new Set(lists.flatMap((l) => l.commands.map((c) => c.title)));
    // Every command of the grammar is offered in Teams' command menus.
    expect([...titles].sort()).toEqual([...COMMAND_WORDS].sort());
    expect(manifest.validDomains).toEqual([]);
  });
});

/** Width, height and RGBA rows (filter 0, as make-icons writes them) of a PNG. */
function readPng(path: string): { width: number; height: number; rgba: (x: number, y: number) => number[] } {
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString('ascii') === 'IDAT')
      idat.push(png.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return {
    width,
    height,
    rgba: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)],
  };
}

describe('Teams icons', () => {
  it('has a 192×192 colour icon', () => {
    const icon = readPng(join(TEAMS_DIR, 'color.png'));
    expect([icon.width, icon.height]).toEqual([192, 192]);
  });

  it('has a 32×32 outline icon, white on transparent', () => {
    const icon = readPng(join(TEAMS_DIR, 'outline.png'));
    expect([icon.width, icon.height]).toEqual([32, 32]);
    let opaque = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = icon.rgba(x, y);
        if (a === 0) continue;
        opaque++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(opaque).toBeGreaterThan(100);
    expect(icon.rgba(0, 0)[3]).toBe(0);
  });
});

function runPackager(env: Record<string, string | undefined>, args: string[]) {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'adapters/teams/package-app.ts', ...args],
      { cwd: ROOT, env: childEnv },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run package:teams', () => {
  const out = mkdtempSync(join(tmpdir(), 'teams-package-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes a zip of exactly manifest.json and the two icons, with the app ID filled in', async () => {
    const zipPath = join(out, 'app.zip');
    const run = await runPackager({ MICROSOFT_APP_ID: APP_ID }, ['--out', zipPath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as TeamsManifest;
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]?.botId).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    const icon = await zip.file('outline.png')!.async('nodebuffer');
    expect(icon.equals(readFileSync(join(TEAMS_DIR, 'outline.png')))).toBe(true);
  });

  it.each([
    ['unset', undefined],
    ['not a GUID', 'my-bot'],
  ])('exits 1 with one line naming MICROSOFT_APP_ID when it is %s', async (_case, value) => {
    const run = await runPackager({ MICROSOFT_APP_ID: value }, ['--out', join(out, 'never.zip')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('MICROSOFT_APP_ID');
  });
});
