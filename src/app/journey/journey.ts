import type { AccountRef, NewPrefill } from '../../commands/command.js';
import { formatAssetRef, type AssetTab, type WholeSelection } from '../../commands/asset-ref.js';
import type { AssetSelection } from '../selection.js';
import type { Msg } from '../../domain/msg.js';
import { decideSameCompany, type LegalEntityRef } from '../../domain/decide.js';

/**
 * The request journey as a pure state machine: every surface draws the step `nextStep` names and hands
 * the answer to `answerStep`, which checks that answer alone and keeps every other one.
 */
export const STEPS = [
  'source',
  'destination',
  'destinationVirtualAccount',
  'sameCompany',
  'transferee',
  'transferor',
  'assets',
  'justification',
  'terms',
  'review',
] as const;

export type StepName = (typeof STEPS)[number];

export type { AssetTab, WholeSelection };

export type { AssetSelection };

/** The answers so far; what a draft keeps. Only plain JSON. */
export interface JourneyState {
  /** Set once the request was sent: the transaction it created (the draft then answers no more steps). */
  requested?: string;
  source?: AccountRef;
  destination?: AccountRef;
  sameCompany?: boolean;
  transferee?: string;
  /** On a partner's request: the named transferor, or null to ask every eligible admin. */
  transferor?: string | null;
  assets?: { refs: string[]; whole: WholeSelection[] };
  /** What a file of references left out of `assets`, said on the review until the assets are answered anew. */
  fileLeftOut?: { shown: { ref: string; reason: Msg }[]; total: number };
  /** The asset step's current search, which `ALL` and `VA:NAME` are narrowed by. */
  assetQuery?: string;
  justification?: string;
  transfereeLegalName?: string;
  transfereeAddress?: string;
  termsAccepted?: boolean;
  reviewed?: boolean;
}

export interface AccountChoice {
  domain: string;
  name: string;
  virtualAccounts: { name: string; onPrem: boolean; licenses: number; devices: number }[];
}

export interface Person {
  name: string;
  email: string;
}

/** What the journey needs to know of the inventory, loaded by the application before each step. */
export interface JourneyFacts {
  /** The Smart Accounts the requester administers. */
  accounts: AccountChoice[];
  /** Source and destination are chosen and the requester is a partner of neither company. */
  partner: boolean;
  /** Admins of the destination other than the requester. */
  transfereeCandidates: Person[];
  /** Admins of the source from the customer's legal entity, other than the requester. */
  transferorCandidates: Person[];
  /**
   * Whether the inventory records one legal entity for source and destination, once both are chosen
   * and known; it overrides the same-company answer (the request is made as the inventory says).
   */
  sameLegalEntity?: boolean;
  /** The legal entities of source and destination, when the inventory records both: named in a note. */
  legalEntities?: { source: LegalEntityRef; destination: LegalEntityRef };
}

/** An answer taken, with what the person must know of it right away (`note`), or what is wrong with it. */
export type Answered = { ok: true; state: JourneyState; note?: Msg } | { ok: false; error: Msg };

const YES = new Set(['y', 'yes', 'o', 'oui', 'はい', 'accept', 'true']);
const NO = new Set(['n', 'no', 'non', 'いいえ', 'false']);

/** `yes`/`no` in any of the bot's languages; undefined for anything else. */
export function readYesNo(text: string): boolean | undefined {
  const word = text.normalize('NFKC').trim().toLowerCase();
  if (YES.has(word)) return true;
  if (NO.has(word)) return false;
  return undefined;
}

/**
 * Whether the transfer request form (transferee, justification, terms) is asked: for another company as
 * answered, and for another legal entity as the inventory records it, whatever the answer (SPEC §4.1: a
 * contradiction goes on as "no").
 */
const formNeeded = (state: JourneyState, facts: JourneyFacts) =>
  state.sameCompany !== undefined && (!state.sameCompany || facts.sameLegalEntity === false);

/**
 * What the inventory says against the same-company answer, when it does (two legal entities for a "yes",
 * one for a "no"): told when the answer is taken, and on the request form it leads to.
 */
export function sameCompanyNote(state: JourneyState, facts: JourneyFacts): Msg | undefined {
  if (state.sameCompany === undefined) return undefined;
  return decideSameCompany(state.sameCompany, facts.legalEntities?.source, facts.legalEntities?.destination)
    .note;
}

/** The steps this journey asks, in order, given the answers so far (the form only for another company, the transferor only on a partner's request). */
export function stepsAsked(state: JourneyState, facts: JourneyFacts): StepName[] {
  return STEPS.filter((step) => {
    if (step === 'transferee' || step === 'justification' || step === 'terms')
      return formNeeded(state, facts);
    if (step === 'transferor') return formNeeded(state, facts) && facts.partner;
    return true;
  });
}

function isAnswered(state: JourneyState, step: StepName): boolean {
  switch (step) {
    case 'source':
      return state.source !== undefined;
    case 'destination':
      return state.destination !== undefined;
    case 'destinationVirtualAccount':
      return state.destination?.virtualAccount !== undefined;
    case 'sameCompany':
      return state.sameCompany !== undefined;
    case 'transferee':
      return Boolean(state.transferee);
    case 'transferor':
      return state.transferor !== undefined;
    case 'assets':
      return state.assets !== undefined;
    case 'justification':
      return Boolean(state.justification);
    case 'terms':
      return state.termsAccepted === true;
    case 'review':
      return state.reviewed === true;
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

/** The first step still unanswered, in the seeds' order; `done` once the review is confirmed. */
export function nextStep(state: JourneyState, facts: JourneyFacts): StepName | 'done' {
  return stepsAsked(state, facts).find((step) => !isAnswered(state, step)) ?? 'done';
}

/**
 * Whether `step` may be answered now: it is asked, and either it is the next one or comes before it
 * (an answer changed), or the accounts and the same-company answer are given — the people, the assets
 * and the form do not depend on each other, so a surface may ask them together. The review comes last.
 */
export function canAnswer(state: JourneyState, step: StepName, facts: JourneyFacts): boolean {
  if (!stepsAsked(state, facts).includes(step)) return false;
  const next = nextStep(state, facts);
  const at = (name: StepName | 'done') => (name === 'done' ? STEPS.length : STEPS.indexOf(name));
  if (at(step) <= at(next)) return true;
  return step !== 'review' && at(next) > at('sameCompany');
}

/**
 * The steps this journey has asked so far, in the seeds' order: those it asks up to the current one (not,
 * say, the transferee of a same-company transfer, nor an answer given ahead by the one-line command). A
 * surface may go back to any of them.
 */
export function stepsSoFar(state: JourneyState, facts: JourneyFacts): StepName[] {
  const asked = stepsAsked(state, facts);
  const current = nextStep(state, facts);
  return current === 'done' ? asked : asked.slice(0, asked.indexOf(current) + 1);
}

/** What `new …` already gave, as answers the journey will not ask again. */
export function journeyFromPrefill(prefill: NewPrefill): JourneyState {
  const state: JourneyState = {};
  if (prefill.source) state.source = prefill.source;
  if (prefill.destination) state.destination = prefill.destination;
  const refs = prefill.assets ?? [];
  const whole = prefill.whole ?? [];
  if (refs.length > 0 || whole.length > 0) state.assets = { refs: refs.map(formatAssetRef), whole };
  if (prefill.sameCompany !== undefined) state.sameCompany = prefill.sameCompany;
  if (prefill.transferee) state.transferee = prefill.transferee;
  if (prefill.transferor) state.transferor = prefill.transferor;
  if (prefill.justification) state.justification = prefill.justification;
  if (prefill.termsAccepted) state.termsAccepted = true;
  return state;
}
