import type { AppDeps } from '../../../src/app/deps.js';
import type { Reply } from '../../../src/app/dispatch.js';
import { submitJourney } from '../../../src/app/journey/service.js';
import { missingFormFields } from '../../../src/app/request.js';
import { listAccounts, listAssets, type AssetList } from '../../../src/app/queries.js';
import { transfereeCandidates, transfereeCompany } from '../../../src/app/request-form.js';
import type { Actor } from '../../../src/domain/types.js';
import { msg, type Msg } from '../../../src/i18n/index.js';
import type { AdaptiveCard } from '../render/card.js';
import type { Texts } from '../render/texts.js';
import { assetsStep, reviewStep } from './asset-cards.js';
import { companyStep, destinationStep, formStep, sourceStep } from './cards.js';
import { endDraft, loadDraft, saveDraft, startDraft } from '../../../src/app/journey/drafts.js';
import {
  answersOf,
  applyInputs,
  emptyState,
  toJourney,
  withAnswers,
  type Go,
  type WizardState,
  type WizardSubmit,
} from './state.js';

/** After a click in the dialog: the next card to show, or the request the core has taken (or refused). */
export type WizardOutcome =
  { kind: 'card'; card: AdaptiveCard } | { kind: 'requested'; reply: Reply & { kind: 'transfer' } };

type Need = 'chooseSource' | 'chooseDestination' | 'answerSameCompany' | 'chooseAssets';
const need = (key: Need): Msg[] => [msg(`teams:wizard.error.${key}`)];

/** Moves the wizard on by one click. The checks here only guide; the core checks the request again. */
function move(
  state: WizardState,
  go: Go,
  tab?: 'licenses' | 'devices',
): { state: WizardState; problems: Msg[] } {
  const at = (step: WizardState['step'], problems: Msg[] = []) => ({ state: { ...state, step }, problems });
  switch (state.step) {
    case 'source':
      if (go === 'counts')
        return { state: { ...state, showCounts: true }, problems: state.source ? [] : need('chooseSource') };
      if (go !== 'next') return at('source');
      return state.source ? at('destination') : at('source', need('chooseSource'));
    case 'destination':
      if (go === 'back') return at('source');
      return state.destination ? at('company') : at('destination', need('chooseDestination'));
    case 'company':
      if (go === 'back') return at('destination');
      if (!state.sameCompany) return at('company', need('answerSameCompany'));
      return at(state.sameCompany === 'no' ? 'form' : 'assets');
    case 'form': {
      if (go === 'back') return at('company');
      const problems = missingFormFields({
        transferee: state.transferee,
        justification: state.justification,
        termsAccepted: state.terms,
      });
      return problems.length > 0 ? at('form', problems) : at('assets');
    }
    case 'assets':
      if (go === 'back') return at(state.sameCompany === 'no' ? 'form' : 'company');
      if (go === 'tab' && tab) return { state: { ...state, tab, assetQuery: undefined }, problems: [] };
      if (go !== 'next') return at('assets');
      return state.selected.length > 0 ? at('review') : at('assets', need('chooseAssets'));
    case 'review':
      return go === 'back' ? at('assets') : at('review');
  }
}

/** Fills the request form's legal name and address from the inventory the first time it is shown. */
async function prefillForm(deps: AppDeps, state: WizardState): Promise<WizardState> {
  if (state.legalName !== undefined && state.address !== undefined) return state;
  const company = await transfereeCompany(deps, state.destination);
  return {
    ...state,
    legalName: state.legalName ?? company.legalName ?? undefined,
    address: state.address ?? company.address ?? undefined,
  };
}

/** Draws the step the state is at, loading what it lists (accounts, admins, assets) for this actor. */
export async function drawStep(
  deps: AppDeps,
  actor: Actor,
  texts: Texts,
  state: WizardState,
  problems: Msg[] = [],
): Promise<AdaptiveCard> {
  switch (state.step) {
    case 'source':
      return sourceStep(texts, state, await listAccounts(deps, actor, state.accountQuery), problems);
    case 'destination':
      return destinationStep(texts, state, await listAccounts(deps, actor), problems);
    case 'company':
      return companyStep(texts, state, problems);
    case 'form':
      return formStep(texts, state, await transfereeCandidates(deps, actor, state.destination), problems);
    case 'assets': {
      let list: AssetList | null = null;
      const found = await listAssets(
        deps,
        actor,
        { smartAccount: state.source ?? '', ...(state.sourceVa ? { virtualAccount: state.sourceVa } : {}) },
        state.tab,
        state.assetQuery,
      );
      if (found.ok) list = found.value;
      else problems = [...problems, found.refusal.message];
      return assetsStep(texts, state, list, problems);
    }
    case 'review':
      return reviewStep(texts, state, problems);
  }
}

/**
 * Keeps the answers in the person's draft (starting one if the card had none), then draws the step; the
 * card it draws carries only the draft's id.
 */
export async function keepAndDraw(
  deps: AppDeps,
  actor: Actor,
  texts: Texts,
  state: WizardState,
  problems: Msg[] = [],
): Promise<AdaptiveCard> {
  const answers = answersOf(state);
  const draft = state.draft ? await loadDraft(deps, actor, state.draft) : undefined;
  const kept = draft ? await saveDraft(deps, draft, answers) : undefined;
  const id = kept?.id ?? (await startDraft(deps, actor, answers)).id;
  return drawStep(deps, actor, texts, { ...state, draft: id }, problems);
}

/** One click in the dialog, from the submitted card's data and inputs. */
export async function wizardClick(
  deps: AppDeps,
  actor: Actor,
  texts: Texts,
  submit: WizardSubmit,
): Promise<WizardOutcome> {
  const { wizard: card, go, tab, ...inputs } = submit;
  let wizard = card;
  if (card.draft) {
    const draft = await loadDraft(deps, actor, card.draft);
    if (!draft) {
      const fresh = emptyState();
      return {
        kind: 'card',
        card: await keepAndDraw(deps, actor, texts, fresh, [msg('core:journey.error.draftGone')]),
      };
    }
    wizard = withAnswers(card, draft.state);
  }
  const state = applyInputs(wizard, inputs);
  if (state.step === 'review' && go === 'submit') {
    const reply = await submitJourney(deps, actor, toJourney(state));
    if (reply.kind === 'transfer') {
      if (state.draft) await endDraft(deps, state.draft);
      return { kind: 'requested', reply };
    }
    const problems =
      reply.kind === 'refused' ? [reply.refusal.message, ...(reply.refusal.details ?? [])] : [];
    return { kind: 'card', card: await keepAndDraw(deps, actor, texts, state, problems) };
  }
  const moved = move(state, go, tab);
  const next = moved.state.step === 'form' ? await prefillForm(deps, moved.state) : moved.state;
  return { kind: 'card', card: await keepAndDraw(deps, actor, texts, next, moved.problems) };
}
