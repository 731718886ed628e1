import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { importInventoryFile } from '../../src/app/inventory.js';
import { surfaceDrivers } from '../support/db.js';
import { EMAILS } from '../support/world.js';
import { SLACK, text, useSlack } from './harness.js';

describe.each(surfaceDrivers)('Slack: the people whose roles an import changed are told (%s)', (driver) => {
  const h = useSlack(driver);

  it('sends Bob one message listing what he gained and lost, in English, and Cora hers in Japanese', async () => {
    const dir = mkdtempSync(join(inject('testScratch'), 'import-roles-slack-'));
    const path = join(dir, 'roles.json');
    writeFileSync(
      path,
      JSON.stringify({
        users: [
          {
            email: EMAILS.bob,
            name: 'Bob Peeters',
            roles: [{ smartAccount: 'be.example', role: 'user' }],
            globalRoles: ['compliance'],
          },
          { email: EMAILS.cora, name: 'Cora Compliance', globalRoles: [] },
        ],
      }),
    );
    try {
      const result = await importInventoryFile(h.deps, path);
      expect(result.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const since = h.api.count();
    await h.deliver();
    const to = (id: string) =>
      h.api
        .calls()
        .slice(since)
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === id);

    const [toBob, ...more] = to(SLACK.bob.id);
    expect(more).toEqual([]);
    expect(toBob!.args.text).toBe('An inventory import changed your roles:');
    expect(text(toBob!)).toContain('You now have the role “Compliance officer”.');
    expect(text(toBob!)).toContain(
      'Your role on Lumière Belgique (be.example) is now “Smart Account user” (it was “Smart Account admin”).',
    );

    const toCora = to(SLACK.cora.id);
    expect(toCora.map((c) => String(c.args.text))).toEqual([
      'インベントリのインポートにより、ロールが次のように変更されました：',
    ]);
    expect(text(toCora[0]!)).toContain('「コンプライアンス担当者」のロールが取り消されました。');
  });
});
