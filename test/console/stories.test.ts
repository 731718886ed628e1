import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { importInventoryFile } from '../../src/app/inventory.js';
import { createTestDatabase, surfaceDrivers, type TestDatabase } from '../support/db.js';
import { testDeps } from '../support/world.js';

const DEMO = fileURLToPath(new URL('../../data/demo-inventory.json', import.meta.url));

/** A scripted console session on the demo inventory: what it printed. */
async function session(database: TestDatabase, as: string, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  input.end(`${lines.join('\n')}\n`);
  const code = await runConsole({ deps: testDeps(database.db), input, output, interactive: false, as });
  expect(code).toBe(0);
  return out;
}

const MARIE = 'marie.dupont@lumiere-reseaux.fr';
const SOPHIE = 'sophie.lambert@lumiere-reseaux.be';
const CLAIRE = 'claire.fontaine@transferdesk.example';

const ERIK = 'erik.lindqvist@nordlys.se';
const HARUTO = 'haruto.sato@sakuranet.co.jp';
const YUI = 'yui.tanaka@sakuranet.co.jp';
const OLIVER = 'oliver.bennett@harbourline.co.uk';
const idOf = (out: string) => /AT-[0-9A-Z]{8}/.exec(out)?.[0];

describe.each(surfaceDrivers)(
  'the README stories, typed in the console on the demo inventory (%s)',
  (driver) => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(driver);
      const imported = await importInventoryFile(testDeps(database.db), DEMO);
      expect(imported.ok).toBe(true);
    });
    afterAll(() => database.dispose());

    it('Same company: Marie moves a license from Lyon to Paris, answering yes; it completes at once', async () => {
      const out = await session(database, MARIE, [
        'new from:lumiere-reseaux.fr to:paris.lumiere-reseaux.fr/DEFAULT assets:SO:104880012-1 same-company:yes',
      ]);
      const id = idOf(out)!;
      expect(id).toBeDefined();
      const submitted = await session(database, MARIE, [`submit ${id}`]);
      expect(submitted).toContain('Transfert terminé');
    });

    it('Affiliate: answering yes with the form given goes on as another company, naming both legal entities', async () => {
      const out = await session(database, MARIE, [
        'new from:lumiere-reseaux.fr/DEFAULT to:lumiere-reseaux.be/DEFAULT assets:SO:104857601-1 same-company:yes transferee:sophie.lambert@lumiere-reseaux.be justification:"x" terms:accept',
      ]);
      const id = idOf(out);
      expect(id, out).toBeDefined();
      expect(out).toContain('Lumière Réseaux SAS');
      expect(out).toContain('Lumière Réseaux Belgique SA');
      expect(out).not.toContain('formulaire de demande de transfert');
      // What happens next, and who will be asked, in Marie's language.
      expect(out).toContain(`soumettez pour transfert (submit ${id})`);
      expect(out).toContain('Le consentement de Sophie Lambert sera alors demandé comme cessionnaire');
      const submitted = await session(database, MARIE, [`submit ${id}`]);
      expect(submitted).toContain(
        'L’envoi est terminé, mais les actifs ne seront transférés qu’une fois le consentement de Sophie Lambert donné comme cessionnaire et le contrôle de conformité approuvé.',
      );
      const consent = await session(database, SOPHIE, [`consent ${id} approve`]);
      expect(consent).toContain('Contrôle de conformité');
      const screened = await session(database, CLAIRE, [`screen ${id} approve`]);
      expect(screened).toContain('Transfert terminé');
    });

    it('Partner: a transferor Erik names is shown on the transaction before anyone is asked', async () => {
      const out = await session(database, ERIK, [
        'new from:sakuranet.co.jp to:harbourline.co.uk/DEFAULT assets:SO:106211230-1 same-company:no transferee:oliver.bennett@harbourline.co.uk justification:"Felixstowe depot" terms:accept transferor:yui.tanaka@sakuranet.co.jp',
      ]);
      const id = idOf(out)!;
      expect(id, out).toBeDefined();
      const shown = await session(database, ERIK, [`show ${id}`]);
      expect(shown).toContain('Transferor: 田中 結衣 <yui.tanaka@sakuranet.co.jp>');
      await session(database, ERIK, [`cancel ${id}`]);
    });

    it('Partner: Erik asks without naming a transferor; Haruto and Yui are both asked and the first answer counts', async () => {
      const out = await session(database, ERIK, [
        'new from:sakuranet.co.jp to:harbourline.co.uk/DEFAULT assets:SO:106203958-1 same-company:no transferee:oliver.bennett@harbourline.co.uk justification:"Felixstowe depot" terms:accept',
      ]);
      const id = idOf(out)!;
      expect(id, out).toBeDefined();
      expect(out).toContain('佐藤 陽翔 and 田中 結衣 as transferor (the first to answer decides)');
      const submitted = await session(database, ERIK, [`submit ${id}`]);
      expect(submitted).toContain(
        'Oliver Bennett consents as transferee, one of 佐藤 陽翔 and 田中 結衣 as transferor',
      );
      const haruto = await session(database, HARUTO, [`consent ${id} approve`]);
      expect(haruto).toContain(id);
      // Haruto's answer is told once, under him: Yui, asked too, is not said to have consented.
      const shown = await session(database, ERIK, [`show ${id}`]);
      const consentLines = shown.split('\n').filter((line) => / by 佐藤 陽翔 on /.test(line));
      expect(consentLines, shown).toHaveLength(1);
      expect(consentLines[0]).toContain('Transferor (佐藤 陽翔): approved by 佐藤 陽翔 on');
      expect(shown).not.toContain('(田中 結衣)');
      // Yui was asked too: her answer comes second and is not counted; she is told who answered.
      const yui = await session(database, YUI, [`consent ${id} approve`, `show ${id}`]);
      expect(yui).toContain('佐藤 陽翔');
      // A person's address in full-width brackets, as every Japanese surface writes it.
      expect(yui).toContain('Erik Lindqvist（erik.lindqvist@nordlys.se）');
      expect(yui).not.toContain('<erik.lindqvist@nordlys.se>');
      await session(database, OLIVER, [`consent ${id} approve`]);
      const screened = await session(database, CLAIRE, [`screen ${id} approve`]);
      expect(screened).toContain('Transfert terminé');
    });

    it('Partner: a named transferor is the only one asked; anyone else is refused with the list of who may', async () => {
      const refused = await session(database, ERIK, [
        'new from:sakuranet.co.jp to:harbourline.co.uk/DEFAULT assets:SN:FOC2338R0JP same-company:no transferee:oliver.bennett@harbourline.co.uk justification:"Depot" terms:accept transferor:oliver.bennett@harbourline.co.uk',
      ]);
      expect(idOf(refused)).toBeUndefined();
      expect(refused).toContain('oliver.bennett@harbourline.co.uk cannot consent as transferor');
      expect(refused).toContain('佐藤 陽翔 (haruto.sato@sakuranet.co.jp)');
      expect(refused).toContain('田中 結衣 (yui.tanaka@sakuranet.co.jp)');

      const out = await session(database, ERIK, [
        'new from:sakuranet.co.jp to:harbourline.co.uk/DEFAULT assets:SN:FOC2338R0JP same-company:no transferee:oliver.bennett@harbourline.co.uk justification:"Depot" terms:accept transferor:yui.tanaka@sakuranet.co.jp',
      ]);
      const id = idOf(out)!;
      expect(out).toContain(
        'Oliver Bennett will then be asked to consent as transferee and 田中 結衣 as transferor',
      );
      await session(database, ERIK, [`submit ${id}`]);
      const haruto = await session(database, HARUTO, [`consent ${id} approve`]);
      expect(haruto).toContain('✖');
      const yui = await session(database, YUI, [`consent ${id} approve`]);
      expect(yui).not.toContain('✖');
    });

    it('a search without a kind finds a device by its serial number when no license matches', async () => {
      const out = await session(database, MARIE, ['assets lumiere-reseaux.fr FOC2231X0AB']);
      expect(out).toContain('SN:FOC2231X0AB');
      expect(out).not.toContain('Aucun actif ne correspond');
    });

    it('an account or Virtual Account with devices only lists its devices when no kind is named', async () => {
      const out = await session(database, MARIE, ['assets lumiere-reseaux.fr/"Lyon Lab"']);
      expect(out).toContain('SN:FOC2310L2MN');
      expect(out).not.toContain('Aucun actif ne correspond');
    });

    it('users lists every role a person holds, a Smart Account user role too', async () => {
      const out = await session(database, 'sam.okafor@transferdesk.example', ['users']);
      const lucas = out.split('\n').find((line) => line.includes('lucas.martin@lumiere-reseaux.fr'));
      expect(lucas).toContain('user:lumiere-reseaux.fr');
      const marie = out.split('\n').find((line) => line.includes(MARIE));
      expect(marie).toContain('admin:lumiere-reseaux.fr');
      expect(marie).not.toContain('user:');
    });

    it('a non-admin learns nothing of which accounts and Virtual Accounts exist', async () => {
      const LUCAS = 'lucas.martin@lumiere-reseaux.fr';
      const out = await session(database, LUCAS, [
        'new from:sakuranet.co.jp/NOPE to:lumiere-reseaux.fr/DEFAULT assets:SN:X1 same-company:yes',
        'new from:nope.example/DEFAULT to:lumiere-reseaux.fr/DEFAULT assets:SN:X1 same-company:yes',
        'assets sakuranet.co.jp/NOPE',
        'assets nope.example',
      ]);
      expect(out).toContain(
        'Vous n’êtes pas administrateur de\u00a0: sakuranet.co.jp et lumiere-reseaux.fr.',
      );
      expect(out).toContain('Vous n’êtes pas administrateur de\u00a0: nope.example et lumiere-reseaux.fr.');
      expect(out).toContain('Vous n’êtes pas administrateur du compte Smart sakuranet.co.jp.');
      expect(out).toContain('Vous n’êtes pas administrateur du compte Smart nope.example.');
      expect(out).not.toMatch(/NOPE»|aucun compte|Aucun compte/);
    });

    it('a justification or a reason over 2,000 characters is refused as typed, saying the length and the limit', async () => {
      const long = 'a'.repeat(2001);
      const out = await session(database, MARIE, [
        `new from:lumiere-reseaux.fr to:lumiere-reseaux.be/DEFAULT assets:SO:104880012-2 same-company:no transferee:sophie.lambert@lumiere-reseaux.be justification:"${long}" terms:accept`,
      ]);
      expect(idOf(out)).toBeUndefined();
      expect(out).toContain(
        'Le texte de «\u00a0Justification commerciale\u00a0» compte 2\u202f001 caractères, pour 2\u202f000 au plus. Rien n’a été modifié.',
      );
      const requested = await session(database, MARIE, [
        'new from:lumiere-reseaux.fr to:lumiere-reseaux.be/DEFAULT assets:SO:104880012-2 same-company:no transferee:sophie.lambert@lumiere-reseaux.be justification:"Brussels" terms:accept',
      ]);
      const id = idOf(requested)!;
      await session(database, MARIE, [`submit ${id}`]);
      const reject = await session(database, SOPHIE, [`consent ${id} reject reason:"${long}"`]);
      expect(reject).toContain('Le texte de «\u00a0Motif\u00a0» compte 2\u202f001 caractères');
      const show = await session(database, SOPHIE, [`show ${id}`]);
      expect(show).toContain('En attente du consentement');
    });

    it('a reason typed with $t( in it is shown as typed, and the words around it stay translated', async () => {
      const requested = await session(database, MARIE, [
        'new from:lumiere-reseaux.fr to:lumiere-reseaux.be/DEFAULT assets:SO:104871402-1 same-company:no transferee:sophie.lambert@lumiere-reseaux.be justification:"Brussels" terms:accept',
      ]);
      const id = idOf(requested)!;
      await session(database, MARIE, [`submit ${id}`]);
      await session(database, SOPHIE, [`consent ${id} reject reason:"$t(common:button.approve)"`]);
      const show = await session(database, MARIE, [`show ${id}`]);
      expect(show).toContain(
        'Motif\u00a0: Sophie Lambert (cessionnaire) a rejeté la demande\u00a0: $t(common:button.approve)',
      );
      expect(show).not.toContain('roleNoun');
    });
  },
);
