import type { AccountRef, NewPrefill } from '../../commands/command.js';
import { formatAssetRef, majorLineOf, type AssetTab, type WholeSelection } from '../../commands/asset-ref.js';
import type { AssetSelection } from '../selection.js';
import { listParam, msg, type MessageKey, type Msg } from '../../domain/msg.js';
import { checkTextLength, decideSameCompany, type LegalEntityRef } from '../../domain/decide.js';
import { readAssetSelection } from './asset-answer.js';
import { choosePerson, fold, pick, readAccount } from './choices.js';

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

const ok = (state: JourneyState): Answered => ({ ok: true, state });
const wrong = (key: MessageKey, params?: Record<string, string | number>): Answered => ({
  ok: false,
  error: msg(key, params),
});

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

const isMsg = (value: object): value is Msg => 'key' in value;

/** Answers after `step` that depended on it are asked again; the others are kept. */
function withSource(state: JourneyState, source: AccountRef): JourneyState {
  const changed = state.source?.smartAccount !== source.smartAccount;
  const next: JourneyState = { ...state, source };
  if (changed || state.source?.virtualAccount !== source.virtualAccount) {
    delete next.assets;
    delete next.fileLeftOut;
    delete next.assetQuery;
    delete next.reviewed;
  }
  if (changed) delete next.transferor;
  return next;
}

/**
 * Checks one answer to `step` and returns the journey with it, or what is wrong with it (the step is
 * then asked again, every other answer kept). Assets are only read here; the application checks them
 * against the inventory.
 */
export function answerStep(state: JourneyState, step: StepName, text: string, facts: JourneyFacts): Answered {
  const trimmed = text.trim();
  switch (step) {
    case 'source': {
      const read = readAccount(facts.accounts, trimmed);
      if (isMsg(read)) return { ok: false, error: read };
      const source: AccountRef = read.virtualAccount
        ? { smartAccount: read.account.domain, virtualAccount: read.virtualAccount }
        : { smartAccount: read.account.domain };
      if (state.destination && fold(state.destination.smartAccount) === fold(source.smartAccount)) {
        const next = withSource(state, source);
        delete next.destination;
        return ok(next);
      }
      return ok(withSource(state, source));
    }
    case 'destination':
    case 'destinationVirtualAccount': {
      let answer = trimmed;
      if (step === 'destinationVirtualAccount' && state.destination) {
        const chosen = facts.accounts.find((a) => fold(a.domain) === fold(state.destination!.smartAccount));
        const numbered = pick(trimmed, chosen?.virtualAccounts ?? []);
        answer = `${state.destination.smartAccount}/${numbered?.name ?? trimmed}`;
      }
      // The source stays in the list, greyed out, so numbers are those of the source step.
      const read = readAccount(facts.accounts, answer);
      if (isMsg(read)) return { ok: false, error: read };
      if (fold(read.account.domain) === fold(state.source?.smartAccount ?? ''))
        return wrong('core:journey.error.destinationIsSource', { domain: read.account.domain });
      // One Virtual Account leaves nothing to choose.
      const only =
        read.account.virtualAccounts.length === 1 ? read.account.virtualAccounts[0]!.name : undefined;
      const virtualAccount = read.virtualAccount ?? only;
      const destination: AccountRef = virtualAccount
        ? { smartAccount: read.account.domain, virtualAccount }
        : { smartAccount: read.account.domain };
      const next: JourneyState = { ...state, destination };
      if (state.destination?.smartAccount !== destination.smartAccount) {
        delete next.transferee;
        delete next.transferor;
        delete next.transfereeLegalName;
        delete next.transfereeAddress;
        delete next.reviewed;
      }
      return ok(next);
    }
    case 'sameCompany': {
      const answer = readYesNo(trimmed);
      if (answer === undefined) return wrong('core:journey.error.yesOrNo');
      // An answer the inventory contradicts is said at once: the steps that follow depend on it.
      const next: JourneyState = { ...state, sameCompany: answer, reviewed: false };
      const note = sameCompanyNote(next, facts);
      return note ? { ok: true, state: next, note } : ok(next);
    }
    case 'transferee': {
      // The requester may not consent for the receiving company: with nobody else there, no answer can do.
      if (facts.transfereeCandidates.length === 0)
        return wrong('core:journey.error.noTransferee', { domain: state.destination?.smartAccount ?? '—' });
      const person = choosePerson(trimmed, facts.transfereeCandidates);
      if (!person)
        return wrong('core:journey.error.notCandidate', {
          answer: trimmed || '—',
          people: listParam(facts.transfereeCandidates.map((p) => p.email)) || '—',
        });
      const next: JourneyState = { ...state, transferee: person.email };
      // Two people consent: a transferor answered before who is now the transferee is asked again.
      if (state.transferor && fold(state.transferor) === fold(person.email)) delete next.transferor;
      return ok(next);
    }
    case 'transferor': {
      if (trimmed === '') return ok({ ...state, transferor: null });
      const person = choosePerson(trimmed, facts.transferorCandidates);
      if (!person)
        return wrong('core:journey.error.notCandidate', {
          answer: trimmed,
          people: listParam(facts.transferorCandidates.map((p) => p.email)) || '—',
        });
      return ok({ ...state, transferor: person.email });
    }
    case 'assets': {
      // `?TEXT` searches; the step is asked again with the search applied.
      if (trimmed.startsWith('?')) {
        const query = trimmed.slice(1).trim();
        const next = { ...state };
        if (query) next.assetQuery = query;
        else delete next.assetQuery;
        return ok(next);
      }
      const read = readAssetSelection(trimmed, state.assetQuery, state.assets?.whole);
      if ('bad' in read) {
        const minor = read.bad.find((word) => majorLineOf(word) !== undefined);
        if (minor !== undefined)
          return wrong('grammar:error.minorLineRef', {
            word: minor,
            line: formatAssetRef(majorLineOf(minor)!),
          });
        return wrong('core:journey.error.badRefs', { refs: read.bad.join(', ') });
      }
      const { refs, whole } = read.selection;
      if (refs.length === 0 && whole.length === 0) return wrong('core:journey.error.noAssets');
      const source = facts.accounts.find((a) => fold(a.domain) === fold(state.source?.smartAccount ?? ''));
      for (const selection of whole) {
        if (selection.virtualAccount === undefined) continue;
        const va = source?.virtualAccounts.find((v) => fold(v.name) === fold(selection.virtualAccount!));
        if (!va)
          return wrong('core:journey.error.noVirtualAccount', {
            name: selection.virtualAccount,
            domain: state.source?.smartAccount ?? '',
            names: listParam(source?.virtualAccounts.map((v) => v.name) ?? []),
          });
        selection.virtualAccount = va.name;
      }
      const next: JourneyState = {
        ...state,
        assets: { refs: refs.map(formatAssetRef), whole },
        reviewed: false,
      };
      delete next.fileLeftOut;
      return ok(next);
    }
    case 'justification': {
      if (trimmed === '') return wrong('core:journey.error.justificationRequired');
      const tooLong = checkTextLength('common:field.businessJustification', trimmed);
      if (tooLong) return { ok: false, error: tooLong.message };
      return ok({ ...state, justification: trimmed });
    }
    case 'terms': {
      if (readYesNo(trimmed) !== true) return wrong('core:journey.error.termsRequired');
      return ok({ ...state, termsAccepted: true });
    }
    case 'review': {
      const answer = readYesNo(trimmed);
      if (answer !== true) return wrong('core:journey.error.reviewConfirm');
      return ok({ ...state, reviewed: true });
    }
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
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
