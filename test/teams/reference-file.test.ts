import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { startInternalServer, type InternalServer } from '../support/internal-server.js';
import {
  startBot,
  submitButtons,
  teamsClient,
  teamsConfig,
  useTeamsWorld,
  teamsUser,
  type TeamsClient,
} from '../support/teams.js';
import { capturingLogger } from '../support/teams-production.js';
import { recorded } from '../support/journeys.js';
import { requestsOf } from '../support/snapshot.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const LINE = 'new from:fr-a.example to:fr-b.example/DEFAULT same-company:yes';

type Task = { task: { type: 'continue'; value: { card: { content: AdaptiveCardJson } } } };

describe.each(surfaceDrivers)('Teams: a file of references attached to a message (%s)', (driver) => {
  const { logger, entries: logs } = capturingLogger();
  const world = useTeamsWorld(driver, [alice], { logger });
  let internal: InternalServer;
  beforeAll(async () => {
    internal = await startInternalServer();
  });
  afterAll(() => internal?.close());

  /** Sends `text` with the file attached, as Teams does, and returns what the bot posted back. */
  async function send(
    text: string,
    name: string,
    content: string | Uint8Array,
    downloadUrl?: string,
    teams: TeamsClient = world.teams,
  ) {
    world.connector.files.set(name, content);
    const before = world.connector.posted(alice.chat).length;
    const res = await teams.message(alice, text, {
      attachments: [
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          name,
          contentUrl: `https://contoso.sharepoint.com/personal/alice/${name}`,
          content: {
            downloadUrl: downloadUrl ?? world.connector.fileUrl(name),
            uniqueId: name,
            fileType: 'csv',
          },
        },
      ],
    });
    expect(res.status).toBe(200);
    return world.connector.posted(alice.chat).slice(before);
  }
  const textOf = (r: { body: unknown }) => (r.body as { text?: string }).text ?? '';

  it('reads the attachment, requests the eligible assets and says what it left out and could not read', async () => {
    const posted = await send(LINE, 'refs.csv', 'Serial Number,Sales Order\nFOC0001,\n,100-2\n,102-1\n--,\n');
    expect(textOf(posted[0]!)).toBe('refs.csv: 3 references read.\n1 row names no reference: row 5.');
    const card = (posted[1]!.body as { attachments: { content: unknown }[] }).attachments[0]!.content;
    const text = cardText(card);
    expect(text).toMatch(/Transaction AT-[0-9A-Z]{8} created/u);
    expect(text).toContain('DEFAULT: licenses 1 · devices 1');
    expect(text).toContain('SO:102-1');
  });

  it('an Excel attachment without a destination continues in the dialog, on a draft holding the file’s selection', async () => {
    const { default: excel } = await import('exceljs');
    const book = new excel.Workbook();
    const sheet = book.addWorksheet('Refs');
    for (const row of ['Reference', 'SO:103-1', 'SN:FOC0002', 'SO:101-1', 'SN:GONE1']) sheet.addRow([row]);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const posted = await send('new from:fr-a.example', 'refs.xlsx', bytes);
    const report = textOf(posted[0]!);
    expect(report).toContain('refs.xlsx: 4 references read.');
    expect(report).toContain('licenses 1 · devices 1');

    // The dialog opens on the draft at the first step the line did not answer.
    const entry = (posted[1]!.body as { attachments: { content: unknown }[] }).attachments[0]!.content;
    const open = submitButtons(entry).find((b) => b.title === 'Request Asset Transfer')!;
    let task = (await world.teams.invoke(alice, 'task/fetch', { data: open.data })).body as Task;
    expect(cardText(task.task.value.card.content)).toContain('Destination');
    const next = (data: Record<string, unknown>) => {
      const button = submitButtons(task.task.value.card.content).find((b) => b.data['go'] === 'next')!;
      return world.teams.invoke(alice, 'task/submit', { data: { ...button.data, ...data } });
    };
    task = (await next({ destination: 'fr-b.example/DEFAULT' })).body as Task;
    task = (await next({ sameCompany: 'yes' })).body as Task;

    // The review counts the file's selection per Virtual Account and says what the file left out, and why.
    const review = cardText(task.task.value.card.content);
    expect(review).toContain('Review and submit');
    expect(review).toContain('DEFAULT: licenses 1 · devices 1');
    expect(review).toMatch(/SO:101-1: .*Enterprise Agreement/u);
    expect(review).toContain('SN:GONE1');

    const submit = submitButtons(task.task.value.card.content).find((b) => b.data['go'] === 'submit')!;
    const done = await world.teams.invoke(alice, 'task/submit', { data: submit.data });
    const id = /AT-[0-9A-Z]{8}/u.exec(JSON.stringify(done.body))![0];
    expect((await recorded(world.database.db, id)).items).toEqual(['SN:FOC0002', 'SO:103-1']);
  });

  it('says how to send a file attached without a new line, naming it; nothing is read or created', async () => {
    for (const text of ['', 'list']) {
      const answered = await send(text, 'plain.csv', 'SN:FOC0003\n');
      expect(answered.map(textOf)).toEqual([
        'plain.csv was not read: a file of references is sent with a new line as its message, such as new from:SA to:SA/VA same-company:yes (see help new). Nothing was created.',
      ]);
    }
  });

  it('refuses a malformed file and a download URL that is neither HTTPS nor the connector’s', async () => {
    const malformed = await send(LINE, 'bad.csv', 'SN:FOC0003\n"SN:X"Y\n');
    expect(textOf(malformed[0]!)).toMatch(/^bad\.csv is malformed at row 2\./u);
    const elsewhere = await send(LINE, 'far.csv', 'SN:FOC0003\n', 'http://10.0.0.1/far.csv');
    expect(textOf(elsewhere[0]!)).toBe(
      'far.csv could not be downloaded. Send it again; nothing was created.',
    );
  });

  it('refuses a web page downloaded in place of the file, saying where to send it from; nothing is created', async () => {
    const before = await requestsOf(world.database.db);
    const page = await send(
      LINE,
      'link.csv',
      '<!DOCTYPE html><html><body>SN:FOC0003</body></html>',
      `${world.connector.fileUrl('link.csv')}?type=${encodeURIComponent('text/html; charset=utf-8')}`,
    );
    expect(textOf(page[0]!)).toBe(
      'link.csv arrived as a web page, not as the file itself: a phone or tablet may send a link to the file ' +
        'instead. Send the file from the desktop or web app; nothing was created.',
    );
    expect(await requestsOf(world.database.db)).toEqual(before);
  });

  it('answers a download that fails as a failed download, to be sent again', async () => {
    // From the connector, so allowed; it has no such file.
    const nowhere = await send(LINE, 'gone.csv', 'SN:FOC0003\n', world.connector.fileUrl('absent.csv'));
    expect(textOf(nowhere[0]!)).toBe('gone.csv could not be downloaded. Send it again; nothing was created.');
  });

  it('never reaches an address that is not a Teams file host, even over HTTPS: told it could not be downloaded, logged without the query', async () => {
    const before = await requestsOf(world.database.db);
    const at = (host: string) => `https://${host}:${internal.port}/internal.csv?tempauth=secret-token`;
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::1]', 'localhost', 'intranet.localhost']) {
      const answered = await send(LINE, 'internal.csv', 'SN:FOC0003\n', at(host));
      expect(answered.map(textOf)).toEqual([
        'internal.csv could not be downloaded. Send it again; nothing was created.',
      ]);
    }
    expect(internal.connections()).toBe(0);
    expect(await requestsOf(world.database.db)).toEqual(before);
    const refused = logs.filter(
      (entry) => entry.msg === 'teams: attached file not downloaded: address refused',
    );
    expect(refused.map((entry) => [entry.level, entry.url])).toContainEqual([
      40,
      `https://127.0.0.1:${internal.port}/internal.csv`,
    ]);
    expect(JSON.stringify(logs)).not.toContain('secret-token');
  });

  it('does not follow a redirect from the connector to an internal address over HTTPS', async () => {
    const moved = `${new URL(world.connector.fileUrl('x')).origin}/moved?to=${encodeURIComponent(
      `https://127.0.0.1:${internal.port}/internal.csv`,
    )}`;
    const answered = await send(LINE, 'internal.csv', 'SN:FOC0003\n', moved);
    expect(answered.map(textOf)).toEqual([
      'internal.csv could not be downloaded. Send it again; nothing was created.',
    ]);
    expect(internal.connections()).toBe(0);
  });

  it('refuses a file host name that resolves to this machine or a private network', async () => {
    // An operator's list naming `localhost` as a file host: the name still resolves to a loopback address.
    const bot = await startBot(world.deps, teamsConfig(), logger, { files: { domains: ['localhost'] } });
    try {
      const teams = teamsClient(bot, world.connector);
      const url = `https://localhost:${internal.port}/internal.csv`;
      const answered = await send(LINE, 'internal.csv', 'SN:FOC0003\n', url, teams);
      expect(answered.map(textOf)).toEqual([
        'internal.csv could not be downloaded. Send it again; nothing was created.',
      ]);
      expect(internal.connections()).toBe(0);
      const refused = logs.filter(
        (entry) => entry.msg === 'teams: attached file not downloaded: address refused',
      );
      expect(refused.at(-1)).toMatchObject({ level: 40, url, reason: 'resolves to a private address' });
    } finally {
      await bot.close();
    }
  });

  it('follows a redirect only to where it may download from', async () => {
    const file = world.connector.fileUrl('moved.csv');
    const moved = (to: string) => `${new URL(file).origin}/moved?to=${encodeURIComponent(to)}`;
    // Another origin over plain HTTP (the same port under another name): refused as the first URL would be.
    const away = await send(LINE, 'moved.csv', 'SN:FOC0003\n', moved(file.replace('127.0.0.1', 'localhost')));
    expect(textOf(away[0]!)).toBe('moved.csv could not be downloaded. Send it again; nothing was created.');
    // On the same origin: read as the file itself is.
    const here = await send(LINE, 'moved.csv', 'SN:FOC0003\n', moved(file));
    const direct = await send(LINE, 'moved.csv', 'SN:FOC0003\n');
    expect(here.map(textOf)).toEqual(direct.map(textOf));
    expect(textOf(here[0]!)).not.toContain('could not be downloaded');
  });
});
