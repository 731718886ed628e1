import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices, licenses, roleGrants, smartAccounts, users } from '../../db/schema.js';
import { renderReply as consoleReply, renderTransfer } from '../../adapters/console/render.js';
import { renderReply as slackReply } from '../../adapters/slack/render/reply.js';
import { transferBlocks } from '../../adapters/slack/render/transfer.js';
import { renderAssetsCard } from '../../adapters/teams/render/list-cards.js';
import { renderTransferCard } from '../../adapters/teams/render/transfer-card.js';
import { textsFor } from '../../adapters/teams/render/texts.js';
import { listAssets } from '../../src/app/asset-list.js';
import { requestTransfer } from '../../src/app/request.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import type { Reader } from '../../src/i18n/index.js';
import { SLACK, startSlack, type SlackHarness } from '../slack/harness.js';
import { cardText } from '../support/bot-connector.js';
import { drivers } from '../support/db.js';
import { slackTexts } from '../support/typography.js';
import { actor, EMAILS } from '../support/world.js';

/** Inventory values as recorded (English, lower case): a reader of French or Japanese never sees them. */
const RAW = /\b(?:smart|classic|provisioned|unclaimed|cslu|ssm_onprem)\b/;

const READERS: Record<
  'fr' | 'ja',
  { reader: Reader; name: 'alice' | 'carol'; slackId: string; shown: string[] }
> = {
  fr: {
    reader: { locale: 'fr', timeZone: 'Europe/Paris' },
    name: 'alice',
    slackId: SLACK.alice.id,
    shown: ['Classique', 'Statut PnP\u00a0: Non revendiqué', 'Enregistrement\u00a0: CSLU'],
  },
  ja: {
    reader: { locale: 'ja', timeZone: 'Asia/Tokyo' },
    name: 'carol',
    slackId: SLACK.carol.id,
    shown: ['クラシック', 'PnPステータス：未登録', '登録方法：CSLU'],
  },
};

describe.each(drivers)('inventory values read in French and Japanese (%s)', (driver) => {
  let h: SlackHarness;
  let transferId: string;

  beforeAll(async () => {
    h = await startSlack(driver);
    const db = h.database.db;
    // Carol reads Japanese (her Slack profile says so), and administers a second account to move assets to.
    h.api.addPerson({ ...SLACK.carol, locale: 'ja-JP', tz: 'Asia/Tokyo' });
    const [carol] = await db.select().from(users).where(eq(users.email, EMAILS.carol));
    const [paris] = await db.select().from(smartAccounts).where(eq(smartAccounts.domain, 'fr-b.example'));
    await db.insert(roleGrants).values({ userId: carol!.id, smartAccountId: paris!.id, role: 'admin' });
    await db
      .update(licenses)
      .set({ licenseType: 'classic' })
      .where(and(eq(licenses.salesOrder, '100'), eq(licenses.line, '1')));
    // One device in the transaction below, one left to offer in the wizard.
    await db
      .update(devices)
      .set({ licenseType: 'classic', pnpStatus: 'unclaimed', registration: 'cslu' })
      .where(inArray(devices.serialNumber, ['FOC0001', 'FOC0002']));
    const alice = await actor(db, 'alice');
    const requested = await requestTransfer(h.deps, alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:100-1')!, parseAssetRef('SN:FOC0001')!],
      sameCompany: true,
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    transferId = requested.value.state.id;
  });
  afterAll(() => h.close());

  /** The Slack wizard's typeahead for one tab, as its options' texts. */
  async function slackOptions(userId: string, tab: 'licenses' | 'devices'): Promise<string> {
    const since = h.api.count();
    await h.slash(userId, 'new from:<http://fr-a.example|fr-a.example>');
    const opened = await h.api.waitFor('views.open', (c) => c.args.trigger_id !== undefined, { since });
    const view = opened.args.view as Record<string, unknown>;
    const res = await h.interact({
      type: 'block_suggestion',
      user: { id: userId },
      action_id: `wizard_${tab}`,
      block_id: 'x',
      value: '',
      view: { id: 'V1', type: 'modal', ...view },
    });
    const { options } = (await res.json()) as {
      options: { text: { text: string }; description?: { text: string } }[];
    };
    expect(options.length).toBeGreaterThan(0);
    return options.map((o) => `${o.text.text} ${o.description?.text ?? ''}`).join('\n');
  }

  it.each(['fr', 'ja'] as const)('in the wizards and asset lists (%s)', async (language) => {
    const { reader, name, slackId, shown } = READERS[language];
    const who = await actor(h.database.db, name);
    const texts: string[] = [
      (await slackOptions(slackId, 'licenses')) + (await slackOptions(slackId, 'devices')),
    ];
    for (const tab of ['licenses', 'devices'] as const) {
      const list = await listAssets(h.deps, who, { smartAccount: 'fr-a.example' }, tab, undefined);
      if (!list.ok) throw new Error(list.refusal.message.key);
      const reply = { kind: 'assets', list: list.value } as const;
      texts.push(
        consoleReply(reader, reply).text,
        slackTexts(slackReply(reply, reader)),
        cardText(renderAssetsCard(list.value, textsFor(reader))),
      );
    }
    for (const text of texts) expect(text).not.toMatch(RAW);
    const all = texts.join('\n');
    for (const words of shown) expect(all).toContain(words);
    // The typeahead describes a device by its PnP status in the reader's words.
    expect(texts[0]).toContain(shown[1]);
  });

  it.each(['fr', 'ja'] as const)('in the items of `show` (%s)', async (language) => {
    const { reader, shown } = READERS[language];
    const view = (await loadTransferView(h.deps, transferId, await actor(h.database.db, 'alice')))!;
    const texts = [
      renderTransfer(reader, view).text,
      slackTexts({ blocks: transferBlocks(view, reader) }),
      cardText(renderTransferCard(view, textsFor(reader), { viewerUserId: view.requester.id })),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(RAW);
      for (const words of shown) expect(text).toContain(words);
    }
  });
});
