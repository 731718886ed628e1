import { PassThrough } from 'node:stream';
import { runConsole } from '../../adapters/console/session.js';
import type { StepName } from '../../src/app/journey/journey.js';
import { loadTransferView } from '../../src/app/load-view.js';
import type { Db } from '../../db/client.js';
import { EMAILS, testDeps, type Name } from './world.js';

/** One answer of a journey: the step it answers and what is typed; `wrong` ones are asked again. */
export interface JourneyAnswer {
  step: StepName;
  text: string;
  wrong?: true;
}

/** A request made by the wizard (answers in the journey's order) and the same request in one line. */
export interface JourneyCase {
  name: string;
  as: Name;
  answers: JourneyAnswer[];
  oneLine: string;
}

const answer = (step: StepName, text: string): JourneyAnswer => ({ step, text });
const wrong = (step: StepName, text: string): JourneyAnswer => ({ step, text, wrong: true });

/** The journeys every surface's wizard runs, with the transfer each must make. */
export const JOURNEYS: JourneyCase[] = [
  {
    name: 'same company',
    as: 'alice',
    answers: [
      answer('source', 'fr-a.example'),
      answer('destination', 'fr-b.example/DEFAULT'),
      answer('sameCompany', 'yes'),
      answer('assets', 'SO:100-1, SN:FOC0001'),
      answer('review', 'yes'),
    ],
    oneLine: 'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:100-1,SN:FOC0001 same-company:yes',
  },
  {
    name: 'an affiliate answered “same company”: the inventory records two legal entities, so the form is asked',
    as: 'alice',
    answers: [
      answer('source', 'fr-a.example'),
      answer('destination', 'be.example/DEFAULT'),
      answer('sameCompany', 'yes'),
      answer('transferee', 'bob@be.example'),
      answer('assets', 'SO:100-2'),
      answer('justification', 'Brussels office'),
      answer('terms', 'yes'),
      answer('review', 'yes'),
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-2 same-company:yes transferee:bob@be.example justification:"Brussels office" terms:accept',
  },
  {
    name: 'another company',
    as: 'alice',
    answers: [
      answer('source', 'Lyon'),
      answer('destination', 'be.example/DEFAULT'),
      answer('sameCompany', 'no'),
      answer('transferee', 'bob@be.example'),
      answer('assets', 'SO:100-2'),
      answer('justification', 'Brussels office'),
      answer('terms', 'yes'),
      answer('review', 'yes'),
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-2 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
  },
  {
    name: 'another company, a bad answer at every step',
    as: 'alice',
    answers: [
      wrong('source', 'nowhere'),
      answer('source', 'fr-a.example'),
      wrong('destination', 'fr-a.example'),
      answer('destination', 'be.example'),
      wrong('destinationVirtualAccount', 'Nope'),
      answer('destinationVirtualAccount', 'DEFAULT'),
      wrong('sameCompany', 'maybe'),
      answer('sameCompany', 'no'),
      wrong('transferee', 'eve@partner.example'),
      answer('transferee', 'bob@be.example'),
      wrong('assets', 'SO:101-1'),
      wrong('assets', 'SO:abc'),
      answer('assets', 'SO:105-1'),
      wrong('justification', ' '),
      answer('justification', 'Brussels office'),
      wrong('terms', 'no'),
      answer('terms', 'yes'),
      wrong('review', 'later'),
      answer('review', 'yes'),
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:105-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
  },
  {
    name: 'a partner’s request naming its transferor',
    as: 'paul',
    answers: [
      answer('source', 'fr-a.example'),
      answer('destination', 'be.example/DEFAULT'),
      answer('sameCompany', 'no'),
      answer('transferee', 'bob@be.example'),
      wrong('transferor', 'eve@partner.example'),
      answer('transferor', 'carol@fr.example'),
      answer('assets', 'SO:103-1'),
      answer('justification', 'Integration'),
      answer('terms', 'yes'),
      answer('review', 'yes'),
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example transferor:carol@fr.example justification:Integration terms:accept',
  },
  {
    name: 'a partner’s request, every eligible transferor asked',
    as: 'paul',
    answers: [
      answer('source', 'fr-a.example'),
      answer('destination', 'be.example/DEFAULT'),
      answer('sameCompany', 'no'),
      answer('transferee', 'bob@be.example'),
      answer('transferor', ''),
      answer('assets', 'SO:103-1'),
      answer('justification', 'Integration'),
      answer('terms', 'yes'),
      answer('review', 'yes'),
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example justification:Integration terms:accept',
  },
];

/** The console wizard's input: one answer per line, in the journey's order. */
export const consoleLines = (journey: JourneyCase): string[] => journey.answers.map((a) => a.text);

/** What a consenter and the record see of a request: the same whichever way and wherever it was made. */
export async function recorded(db: Db, id: string) {
  const deps = testDeps(db);
  const view = await loadTransferView(deps, id, null);
  const row = await deps.store.transfers.loadRow(id);
  if (!view || !row) throw new Error(`no transfer ${id}`);
  return {
    status: view.status,
    source: view.source.domain,
    destination: `${view.destination.domain}/${view.destinationVirtualAccount}`,
    sameLegalEntity: view.sameLegalEntity,
    requestedByPartner: view.requestedByPartner,
    transferee: view.transferee?.email ?? null,
    transferorId: row.transferorId,
    justification: view.justification,
    transfereeLegalName: view.transfereeLegalName,
    transfereeAddress: view.transfereeAddress,
    termsAcceptedBy: view.termsAccepted?.by.email ?? null,
    consents: view.consents.map((c) => `${c.role}:${c.person.email}`).sort(),
    items: view.items.map((i) => i.ref).sort(),
  };
}

/** Runs a scripted console session (stdin not a terminal) as one person; returns everything it printed. */
export async function consoleSession(db: Db, as: Name, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  input.end(`${lines.join('\n')}\n`);
  await runConsole({ deps: testDeps(db), input, output, interactive: false, as: EMAILS[as] });
  return out;
}

/** The transaction id a session's output names last. */
export const createdIn = (out: string) => [...out.matchAll(/AT-[0-9A-Z]{8}/gu)].at(-1)?.[0];
