import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surfaceDrivers } from '../support/db.js';
import type { RecordedCall } from '../support/slack-api.js';
import { recorded } from '../support/journeys.js';
import { requestsOf } from '../support/snapshot.js';
import { click, SLACK, startSlack, submission, where, type SlackHarness } from './harness.js';

type WizardView = { callback_id: string; private_metadata: string; blocks: unknown[] };

const LINE = 'new from:fr-a.example to:fr-b.example/DEFAULT same-company:yes';

describe.each(surfaceDrivers)('a file of references shared in the bot’s Messages tab (%s)', (driver) => {
  let h: SlackHarness;
  let files = 0;
  beforeAll(async () => {
    h = await startSlack(driver);
  });
  afterAll(() => h.close());

  /** Shares a file as Slack sends it (message event, subtype file_share) and returns the messages posted back. */
  async function share(
    text: string,
    content: string,
    options: {
      name?: string;
      downloadUrl?: string;
      size?: number;
      contentType?: string;
      movedTo?: string;
      expect?: number;
      /** Deleted before the bot looks: files.info answers `file_not_found`. */
      deleted?: boolean;
    } = {},
  ): Promise<RecordedCall[]> {
    const id = `F${++files}`;
    if (!options.deleted) h.api.addFile({ id, name: options.name ?? 'refs.csv', content, ...options });
    const since = h.api.count();
    const res = await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: 'DALICE',
      channel_type: 'im',
      user: SLACK.alice.id,
      text,
      files: [{ id, name: options.name ?? 'refs.csv' }],
      ts: `1700000${files}.000100`,
    });
    expect(res.status).toBe(200);
    const wanted = options.expect ?? 1;
    const posted = () =>
      h.api
        .calls()
        .slice(since)
        .filter((c) => c.method === 'chat.postMessage');
    const deadline = Date.now() + 20_000;
    while (posted().length < wanted) {
      if (Date.now() > deadline)
        throw new Error(`posted: ${JSON.stringify(posted().map((c) => String(c.args.text)))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return posted();
  }

  it('reads the file with the bot token, requests the eligible assets and says what it left out and could not read', async () => {
    const since = h.api.count();
    const posted = await share(LINE, 'Numéro de série;Commande client\nFOC0001;\n;100-1\n;101-1\nn/a;\n', {
      expect: 2,
    });
    const info = h.api.calls('files.info').at(-1)!;
    expect(info.args.file).toBe(`F${files}`);
    const download = h.api
      .calls()
      .slice(since)
      .find((c) => c.method === 'download')!;
    expect(download.token).toBe('xoxb-test-token');

    const [report, transfer] = posted;
    expect(String(report!.args.text)).toBe('refs.csv\u00a0: 3 références lues.');
    expect(JSON.stringify(report!.args.blocks)).toContain(
      '1 ligne ne contient aucune référence\u00a0: ligne 5.',
    );
    expect(String(transfer!.args.text)).toMatch(/AT-[0-9A-Z]{8}/u);
    const blocks = JSON.stringify(transfer!.args.blocks);
    expect(blocks).toContain('DEFAULT\u00a0: licences 1 · périphériques 1');
    expect(blocks).toContain('SO:101-1');
  });

  it('without a destination, continues in the wizard on a draft holding the file’s selection, to the transfer', async () => {
    const [report, offer] = await share(
      'new from:fr-a.example',
      'SO:103-1\nSN:FOC0004\nSO:101-1\nSN:GONE1\n',
      {
        expect: 2,
      },
    );
    expect(JSON.stringify(report!.args.blocks)).toContain('licences 1 · périphériques 0');
    const open = (offer!.args.blocks as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'wizard_open')!;

    // The button opens the draft at the first step the line did not answer.
    let since = h.api.count();
    await h.interact(click(SLACK.alice.id, { action_id: 'wizard_open', value: open.value }, where(offer!)));
    let view = (await h.api.waitFor('views.open', () => true, { since })).args.view as WizardView;
    expect(view.callback_id).toBe('transfer_wizard_accounts');
    const submit = async (values: Record<string, Record<string, unknown>>) => {
      const res = await h.interact(submission(SLACK.alice.id, { ...view, id: 'VFILE' }, values));
      return (await res.json()) as { view?: WizardView };
    };
    const chosen = (value: string) => ({ type: 'external_select', selected_option: { value } });
    const accounts = await submit({
      source: { wizard_source_sa: chosen('fr-a.example') },
      destination: { wizard_destination_sa: chosen('fr-b.example/DEFAULT') },
      same_company: { wizard_same_company: { type: 'radio_buttons', selected_option: { value: 'yes' } } },
    });
    view = accounts.view!;

    // The review counts the file's selection and says what the file left out, and why.
    expect(view.callback_id).toBe('transfer_wizard_review');
    const review = JSON.stringify(view.blocks);
    expect(review).toContain('DEFAULT\u00a0: licences 1 · périphériques 0');
    expect(review).toMatch(/SO:101-1.*Enterprise Agreement/u);
    expect(review).toMatch(/SN:GONE1.*fr-a\.example/u);
    expect(review).toContain('SN:FOC0004');

    since = h.api.count();
    await submit({});
    const result = await h.api.waitFor(
      'views.update',
      (c) => c.args.view_id === 'VFILE' && c.args.view.callback_id === 'transfer_wizard_result',
      { since },
    );
    const id = /AT-[0-9A-Z]{8}/u.exec(JSON.stringify(result.args.view))![0];
    expect((await recorded(h.database.db, id)).items).toEqual(['SO:103-1']);
  });

  it('uploads the full list of assets left out as an Excel file when there are more than fifty', async () => {
    const since = h.api.count();
    const rows = ['SN:FOC0002', ...Array.from({ length: 55 }, (_, i) => `SN:GONE${i}`)].join('\n');
    await share(`${LINE} `, rows, { expect: 2 });
    const upload = await h.api.waitFor('files.completeUploadExternal', undefined, {
      since,
      timeoutMs: 10_000,
    });
    expect(JSON.stringify(upload.args)).toMatch(/left-out-refs-/u);
  });

  it('uploads the list it names when nothing in the file may move and more than fifty were left out', async () => {
    const since = h.api.count();
    const rows = Array.from({ length: 60 }, (_, i) => `SN:NONE${i}`).join('\n');
    const [answer] = await share(`${LINE} `, rows);
    expect(JSON.stringify(answer!.args.blocks)).toContain('left-out-refs-');
    const upload = await h.api.waitFor('files.completeUploadExternal', undefined, {
      since,
      timeoutMs: 10_000,
    });
    expect(JSON.stringify(upload.args)).toMatch(/left-out-refs-/u);
  });

  it('says how to send a file shared without a new line, naming it; nothing is read or created', async () => {
    for (const text of ['', 'list']) {
      const [answer] = await share(text, 'SN:FOC0003\n');
      expect(String(answer!.args.text)).toBe(
        'refs.csv n’a pas été lu\u00a0: un fichier de références s’envoie avec une ligne new comme message, par exemple new from:SA to:SA/VA same-company:yes (voir help new). Rien n’a été créé.',
      );
    }
  });

  it('refuses a malformed file and names its rows; nothing is created', async () => {
    const [answer] = await share(LINE, 'SN:FOC0003\n"SN:X"Y\n');
    expect(String(answer!.args.text)).toMatch(/^refs\.csv est mal formé à la ligne 2\./u);
  });

  it('never sends the bot token to a download URL off Slack', async () => {
    const since = h.api.count();
    const [answer] = await share(LINE, 'SN:FOC0003\n', { downloadUrl: 'https://files.example.net/refs.csv' });
    expect(String(answer!.args.text)).toBe(
      'refs.csv n’a pas pu être téléchargé. Renvoyez-le\u00a0; rien n’a été créé.',
    );
    expect(
      h.api
        .calls()
        .slice(since)
        .some((c) => c.method === 'download'),
    ).toBe(false);
  });

  it('refuses a web page downloaded in place of the file, saying where to send it from; nothing is created', async () => {
    const before = await requestsOf(h.database.db);
    const [answer] = await share(LINE, '<!DOCTYPE html><html><body>SN:FOC0003</body></html>', {
      contentType: 'text/html; charset=utf-8',
    });
    expect(String(answer!.args.text)).toBe(
      'refs.csv est arrivé sous forme de page web, et non comme le fichier lui-même\u00a0: un téléphone ou une ' +
        'tablette peut envoyer un lien vers le fichier à sa place. Envoyez le fichier depuis l’application de ' +
        'bureau ou le navigateur\u00a0; rien n’a été créé.',
    );
    expect(await requestsOf(h.database.db)).toEqual(before);
  });

  it('answers a download sent elsewhere by a redirect as a failed download, to be sent again', async () => {
    const [answer] = await share(LINE, 'SN:FOC0003\n', { movedTo: 'https://slack.com/signin' });
    expect(String(answer!.args.text)).toBe(
      'refs.csv n’a pas pu être téléchargé. Renvoyez-le\u00a0; rien n’a été créé.',
    );
  });

  it('answers a file deleted before the bot could read it as a failed download, to be sent again', async () => {
    const before = await requestsOf(h.database.db);
    const [answer] = await share(LINE, 'SN:FOC0003\n', { deleted: true });
    expect(String(answer!.args.text)).toBe(
      'refs.csv n’a pas pu être téléchargé. Renvoyez-le\u00a0; rien n’a été créé.',
    );
    expect(await requestsOf(h.database.db)).toEqual(before);
  });

  it('refuses a file over 10 MB as files.info reports it, without downloading it', async () => {
    const since = h.api.count();
    const [answer] = await share(LINE, 'SN:FOC0003\n', { size: 11 * 2 ** 20 });
    expect(String(answer!.args.text)).toMatch(/dépasse 10 Mo/u);
    expect(
      h.api
        .calls()
        .slice(since)
        .some((c) => c.method === 'download'),
    ).toBe(false);
  });
});
