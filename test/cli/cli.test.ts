import { spawn } from 'node:child_process';
import { existsSync, readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, rowsOf } from '../../db/client.js';
import { STATUSES } from '../../src/domain/status.js';
import { statusLabel } from '../../src/i18n/index.js';
import { BIN, COMMAND_FLAGS, runInProcess as run, runProcess } from '../support/cli.js';
import { copyEmbeddedTemplate } from '../support/db.js';

// The walk through starts the real command line in processes of its own, cold, on a fresh data folder
// (initdb, migrations, the demo inventory), then with the console reading a script from standard input.
// The commands after it run through the command line's entry point in this process, on the folder those
// processes left; bad usage is also checked from a process, and a corrupt folder only from one. Beside the
// rest of the suite on two cores, a cold start can take longer than the default 30 s.
describe('transfer-bot command line on the embedded database', { timeout: 120_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let id = '';

  beforeAll(() => {
    dir = mkdtempSync(join(inject('testScratch'), 'cli-'));
    env = { DATA_DIR: join(dir, 'data') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh data folder, loads the demo, and requests a transfer in a scripted console', async () => {
    const script = [
      'as marie.dupont@lumiere-reseaux.fr',
      'new from:lumiere-reseaux.fr to:lumiere-reseaux.be/DEFAULT assets:SO:104857601-1,SN:FDO2208A1BC same-company:no transferee:sophie.lambert@lumiere-reseaux.be justification:"Brussels office opening" terms:accept',
    ].join('\n');
    const first = await runProcess(['start'], env, `${script}\n`);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Demo inventory loaded');
    const created = /Transaction (AT-[0-9A-Z]{8}) créée, au statut «\u00a0Envoi en attente\u00a0»/.exec(
      first.stdout,
    );
    expect(created).not.toBeNull();
    id = created![1]!;
    expect(first.stdout).toContain('[2] Soumettre pour transfert');
  });

  it('submits, consents and screens through typed commands and numbered buttons', async () => {
    const result = await runProcess(
      ['console'],
      env,
      [
        `submit ${id}`,
        'as sophie.lambert@lumiere-reseaux.be',
        'inbox',
        '1',
        'as claire.fontaine@transferdesk.example',
        'inbox',
        '1',
        'as marie.dupont@lumiere-reseaux.fr',
        `show ${id}`,
      ].join('\n'),
    );
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain(
      `Transaction ${id}\u00a0: statut «\u00a0Soumis – En attente du consentement du cédant/cessionnaire\u00a0».`,
    );
    expect(out).toContain(
      `Votre consentement en tant que cessionnaire est demandé pour la transaction ${id}`,
    );
    expect(out).toContain(
      `Votre consentement à la transaction ${id} est enregistré. Statut\u00a0: «\u00a0Contrôle de conformité\u00a0».`,
    );
    expect(out).toContain(`Contrôle de conformité demandé pour la transaction ${id}`);
    expect(out).toContain(`Transaction ${id}\u00a0: statut «\u00a0Transfert terminé\u00a0».`);
    expect(
      out
        .trimEnd()
        .split('\n')
        .filter((l) => l.includes('— Transféré')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('ends quietly when its reader stops reading early (`| head -1`)', async () => {
    const child = spawn(
      process.execPath,
      [...COMMAND_FLAGS, BIN, 'console', '--as', 'marie.dupont@lumiere-reseaux.fr'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The reader takes the first chunk and goes away, as `head -1` does; the console still has lines to answer.
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.end(`${['help', 'list', 'accounts', 'help statuses'].join('\n').repeat(20)}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
  it('prints one transaction as JSON in the documented shape', async () => {
    const result = await run(['show', id, '--json'], env);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      id,
      status: 'transfer_completed',
      sourceSmartAccount: 'lumiere-reseaux.fr',
      destinationSmartAccount: 'lumiere-reseaux.be',
      destinationVirtualAccount: 'DEFAULT',
      sameLegalEntity: false,
    });
    // Each item with when it moved: the moment the transfer completed, the time the Excel file shows.
    expect(json.items).toEqual([
      {
        ref: 'SO:104857601-1',
        kind: 'license',
        result: 'transferred',
        movedAt: json.completedAt,
        reason: null,
      },
      {
        ref: 'SN:FDO2208A1BC',
        kind: 'device',
        result: 'transferred',
        movedAt: json.completedAt,
        reason: null,
      },
    ]);
    const isoDate = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(json).toMatchObject({
      requester: { email: 'marie.dupont@lumiere-reseaux.fr', name: expect.any(String) },
      transferee: { email: 'sophie.lambert@lumiere-reseaux.be', name: expect.any(String) },
      transferor: null,
      justification: expect.any(String),
      createdAt: isoDate,
      submittedAt: isoDate,
      completedAt: isoDate,
      consents: [
        {
          role: 'transferee',
          email: 'sophie.lambert@lumiere-reseaux.be',
          decision: 'approved',
          at: isoDate,
          reason: null,
        },
      ],
      compliance: {
        decision: 'approved',
        by: { email: 'claire.fontaine@transferdesk.example', name: expect.any(String) },
        at: isoDate,
        reason: null,
      },
    });
    const history = json.history as { at: string; actor: string; from: string | null; to: string | null }[];
    expect(history.at(-1)).toMatchObject({
      actor: 'system',
      from: 'transfer_initiated',
      to: 'transfer_completed',
    });
    expect(Number.isNaN(Date.parse(history[0]!.at))).toBe(false);

    const list = await run(['list', '--status', 'transfer_completed', '--json'], env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.id)).toEqual([id]);
    expect(rows[0]).not.toHaveProperty('history');
    expect(rows[0]).toEqual(Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'history')));

    // A status as the chat takes it (`list status:Transfer-Completed`), and one that is none, refused with
    // every status named, as in the chat.
    const loose = await run(['list', '--status', 'Transfer-Completed', '--json'], env);
    expect(loose.code).toBe(0);
    expect((JSON.parse(loose.stdout) as { id: string }[]).map((r) => r.id)).toEqual([id]);
    // … and by its label in any of the bot's languages.
    const label = await run(['list', '--status', 'Transfert terminé', '--json'], env);
    expect(label.code).toBe(0);
    expect((JSON.parse(label.stdout) as { id: string }[]).map((r) => r.id)).toEqual([id]);
    const bad = await run(['list', '--status', 'done', '--json'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    const named = STATUSES.map((status) => `${statusLabel('en', status)} (${status})`).join(', ');
    expect(bad.stderr.trim()).toBe(`“done” is not a status. Use one of: ${named}`);
  });

  it('refuses a bad inventory file whole, naming each error, and writes nothing', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        smartAccounts: [{ domain: 'new.example', name: 'New', legalEntityId: 'nope' }],
        licenses: [
          {
            smartAccount: 'unknown.example',
            virtualAccount: 'DEFAULT',
            salesOrder: '1',
            line: '1',
            pid: 'X',
            quantity: 1,
            licenseType: 'gold',
          },
        ],
      }),
    );
    const result = await run(['import', bad], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('smartAccounts[0].legalEntityId');
    expect(result.stderr).toContain('licenses[0].licenseType');
    expect(result.stderr).toContain('licenses[0].smartAccount');
    const list = await run(['list', '--smart-account', 'new.example', '--json'], env);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain('new.example');
    // An empty name is no account either: refused, not read as every account.
    const none = await run(['list', '--smart-account', '', '--json'], env);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
  });

  it('says which completed transfer a re-imported file undoes, and records it in its history', async () => {
    // The demo file is older than the transfer above: it puts its license and device back in Lyon.
    const demo = fileURLToPath(new URL('../../data/demo-inventory.json', import.meta.url));
    const result = await run(['import', demo], env);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').slice(1)).toEqual([
      `1 license and 1 device (SO:104857601-1 and SN:FDO2208A1BC) moved by transfer ${id} (Transfer Completed) to lumiere-reseaux.be/DEFAULT are ` +
        'placed in lumiere-reseaux.fr/DEFAULT by this file: is the file older than the transfer?',
    ]);
    const shown = JSON.parse((await run(['show', id, '--json'], env)).stdout) as {
      status: string;
      items: { result: string }[];
      history: Record<string, unknown>[];
    };
    expect(shown.status).toBe('transfer_completed');
    expect(shown.items.map((i) => i.result)).toEqual(['transferred', 'transferred']);
    expect(shown.history.at(-1)).toMatchObject({
      actor: 'system',
      surface: 'cli',
      action: 'inventory.placed',
      reason:
        'The inventory file puts them in lumiere-reseaux.fr/DEFAULT; this transfer had moved them to lumiere-reseaux.be/DEFAULT.',
    });
    // The file is the inventory now: importing it again says only what it counted.
    const again = await run(['import', demo], env);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('runs due jobs once and says what it did', async () => {
    const result = await run(['jobs', 'run'], env);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      reminders: Record<string, number>;
      deliveries: Record<string, number>;
    };
    expect(summary).toHaveProperty('reminders');
    expect(summary).toHaveProperty('deliveries');
    // Nothing here is 90 days old: the outbox keeps every message.
    expect(summary).toHaveProperty('forgottenMessages', 0);
    // Everything the walk above wrote to the outbox was delivered to the console by then, or now.
    const again = JSON.parse((await run(['jobs', 'run'], env)).stdout) as {
      deliveries: Record<string, number>;
    };
    expect(Object.values(again.deliveries).every((n) => n === 0)).toBe(true);
  });

  it('exports a transaction to the path given', async () => {
    const out = join(dir, 'one.xlsx');
    const result = await run(['export', '--transaction', id, '--out', out], env);
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });

  it('says a folder given as the file is a folder, and a path through a file is not one, writing nothing', async () => {
    const folder = await run(['export', '--transaction', id, '--out', dir], env);
    expect(folder.code).toBe(1);
    expect(folder.stderr.trim()).toBe(
      `cannot write ${dir}: it is a folder; give the file's name (--out FILE.xlsx)`,
    );
    const through = await run(['export', '--transaction', id, '--out', join(dir, 'one.xlsx', 'x.xlsx')], env);
    expect(through.code).toBe(1);
    expect(through.stderr).toContain('a part of the path is a file, not a folder');
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')(
    'says a folder that takes no new file cannot be written, without the file written aside',
    async () => {
      const proc = await run(['export', '--transaction', id, '--out', '/proc/x.xlsx'], env);
      expect(proc.code).toBe(1);
      expect(proc.stderr.trim()).toBe(
        'cannot write /proc/x.xlsx: its folder cannot be written; choose another folder',
      );
    },
  );

  it('answers bad usage with 2 and bad input or environment with 1 and a one-line reason', async () => {
    expect((await runProcess(['frobnicate'], env)).code).toBe(2);
    expect((await run(['frobnicate'], env)).code).toBe(2);
    expect((await run(['export', '--out', join(dir, 'x.xlsx')], env)).code).toBe(2);
    const badId = await run(['show', 'AT-12', '--json'], env);
    expect(badId.code).toBe(1);
    expect(badId.stderr.trim().split('\n')).toHaveLength(1);
    const badEnv = await run(['migrate'], {
      ...env,
      CONSENT_EXPIRE_AFTER: 'soon',
      OUTBOX_KEEP: 'forever',
      PORT: 'eighty',
      REMINDER_CRON: '0 9 * * 1-8',
    });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain('CONSENT_EXPIRE_AFTER');
    expect(badEnv.stderr).toContain('OUTBOX_KEEP: expected a duration');
    expect(badEnv.stderr).toContain('PORT');
    expect(badEnv.stderr).toContain('REMINDER_CRON: expected a cron expression');
    expect(badEnv.stderr).not.toContain('    at ');
  });

  it('refuses to open the embedded database held by another live process, naming it', async () => {
    // The command runs in this process, so the holder named is another live one: the test runner's.
    writeFileSync(join(env.DATA_DIR!, 'lock.pid'), String(process.ppid));
    try {
      const result = await run(['list', '--json'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`process ${process.ppid}`);
      expect(result.stderr).toContain('DATABASE_URL');
    } finally {
      rmSync(join(env.DATA_DIR!, 'lock.pid'));
    }
  });

  it('reports a corrupt data folder in one line and exits 1', async () => {
    const corrupt = copyEmbeddedTemplate();
    const pg = join(corrupt, 'pg');
    writeFileSync(join(pg, 'PG_VERSION'), 'garbage');
    rmSync(join(pg, 'global'), { recursive: true, force: true });
    // In a process of its own: what the engine prints while it fails must not reach the operator either.
    const result = await runProcess(['list', '--json'], { DATA_DIR: corrupt });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot be opened');
  });
});

describe('`transfer-bot jobs run` on the embedded database', () => {
  it('vacuums what it forgot before it exits, as the next process would not know of the dead rows', async () => {
    const dataDir = copyEmbeddedTemplate();
    try {
      const outboxPages = async () => {
        const database = await openDatabase({ dataDir });
        try {
          const [row] = rowsOf<{ pages: number }>(
            await database.db.execute(sql`select (pg_relation_size('public.outbox') / 8192)::int as pages`),
          );
          return Number(row?.pages);
        } finally {
          await database.close();
        }
      };
      const database = await openDatabase({ dataDir });
      // A desk's delivered messages from a hundred days ago, never forgotten yet.
      await database.db.execute(sql`
        insert into outbox (dedupe_key, created_at, due_at, recipient_user_id, payload, state, sent_at)
        select 'old:' || g, now() - interval '100 days', now() - interval '100 days', null,
               '{"type":"message"}'::jsonb, 'sent', now() - interval '100 days'
        from generate_series(1, 1000) g`);
      await database.close();
      expect(await outboxPages()).toBeGreaterThan(5);

      const result = await run(['jobs', 'run'], { DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toHaveProperty('forgottenMessages', 1000);
      // Vacuumed: the table's emptied pages are given back to the file system.
      expect(await outboxPages()).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
