import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess as run } from '../support/cli.js';
import { copyEmbeddedTemplate } from '../support/db.js';

type User = { email: string; roles?: unknown[]; globalRoles?: string[] };

describe('transfer-bot import names each person whose roles it changed', { timeout: 60_000 }, () => {
  const demo = fileURLToPath(new URL('../../data/demo-inventory.json', import.meta.url));
  let dir: string;
  let env: Record<string, string>;
  let changed: string;

  beforeAll(() => {
    dir = copyEmbeddedTemplate();
    env = { DATA_DIR: dir };
    // The demo, but: Marie is a user of Lyon (was admin) and no longer in Paris's file entry; Haruto has no
    // role; Claire is a bot admin instead of compliance; Kenji is compliance too.
    const json = JSON.parse(readFileSync(demo, 'utf8')) as { users: User[] };
    const user = (email: string) => json.users.find((u) => u.email === email)!;
    user('marie.dupont@lumiere-reseaux.fr').roles = [
      { smartAccount: 'lumiere-reseaux.fr', role: 'user' },
      { smartAccount: 'lumiere-reseaux.be', role: 'admin' },
    ];
    user('haruto.sato@sakuranet.co.jp').roles = [];
    user('claire.fontaine@transferdesk.example').globalRoles = ['bot_admin'];
    user('kenji.watanabe@transferdesk.example').globalRoles = ['licensing_ops', 'compliance'];
    changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify(json));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says nothing of the roles of the people it creates', async () => {
    const first = await run(['import', demo], env);
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('prints a line per person, in e-mail order, with the roles gained and lost in the file’s words', async () => {
    const result = await run(['import', changed], env);
    expect(result.code).toBe(0);
    const [counts, ...lines] = result.stdout.trim().split('\n');
    expect(counts).toContain('users: 0 created, 4 updated, 7 unchanged');
    expect(lines).toEqual([
      'roles of Claire Fontaine (claire.fontaine@transferdesk.example): gained bot_admin; lost compliance',
      'roles of 佐藤 陽翔 (haruto.sato@sakuranet.co.jp): lost admin of sakuranet.co.jp',
      'roles of 渡辺 健二 (kenji.watanabe@transferdesk.example): gained compliance',
      'roles of Marie Dupont (marie.dupont@lumiere-reseaux.fr): gained user of lumiere-reseaux.fr; ' +
        'lost admin of lumiere-reseaux.fr, admin of paris.lumiere-reseaux.fr',
    ]);
  });

  it('says only its counts when the file changes no role', async () => {
    const again = await run(['import', changed], env);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n')).toHaveLength(1);
  });
});
