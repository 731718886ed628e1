import type { AccountRef } from '../../commands/command.js';
import { formatAssetRef, majorLineOf } from '../../commands/asset-ref.js';
import { listParam, msg, type MessageKey, type Msg } from '../../domain/msg.js';
import { checkTextLength } from '../../domain/decide.js';
import { readAssetSelection } from './asset-answer.js';
import { choosePerson, fold, pick, readAccount } from './choices.js';
import {
  readYesNo,
  sameCompanyNote,
  type Answered,
  type JourneyFacts,
  type JourneyState,
  type StepName,
} from './journey.js';

const ok = (state: JourneyState): Answered => ({ ok: true, state });
const wrong = (key: MessageKey, params?: Record<string, string | number>): Answered => ({
  ok: false,
  error: msg(key, params),
});

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
