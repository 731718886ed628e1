import type { types } from '@slack/bolt';
import { STEPS, type JourneyState, type StepName } from '../../../src/app/journey/journey.js';
import {
  answerJourney,
  viewJourney,
  type JourneyScope,
  type JourneyView,
} from '../../../src/app/journey/service.js';
import type { Msg } from '../../../src/domain/msg.js';
import { tr, type Reader } from '../../../src/i18n/index.js';
import type { SlackContext } from '../context.js';
import { noticeModal } from '../render/modal.js';
import { assetsModal, reviewModal } from './assets-view.js';
import { accountName, adminAccount } from './data.js';
import type { WizardMetadata } from './state.js';
import { accountsModal, formModal, modalOf, type ModalKind, type StepProblem } from './views.js';

/** One field of a modal: the journey step it answers, the block it sits in, and what the person gave. */
export interface FieldAnswer {
  step: StepName;
  block: string;
  text: string;
}

/** Slack shows an error under a field in a few lines; longer lists are cut. */
const FIELD_ERROR_MAX = 1000;

export function problemText(reader: Reader, error: Msg, details: Msg[] = []): StepProblem {
  return { text: tr(reader, error), details: details.map((d) => tr(reader, d)) };
}

function fieldError(problem: StepProblem): string {
  const text = [problem.text, ...problem.details.map((d) => `• ${d}`)].join('\n');
  return text.length > FIELD_ERROR_MAX ? `${text.slice(0, FIELD_ERROR_MAX - 1)}…` : text;
}

export type Answered =
  | { ok: true; state: JourneyState }
  | { ok: false; state: JourneyState; errors: Record<string, string>; problem: StepProblem };

/**
 * Hands each field's answer to the core in the journey's order. The first wrong one stops there and is
 * said on its field (Slack's `errors`, keyed by block); the answers before it are kept.
 */
export async function answerFields(
  journey: JourneyScope,
  reader: Reader,
  state: JourneyState,
  fields: FieldAnswer[],
): Promise<Answered> {
  const ordered = [...fields].sort((a, b) => STEPS.indexOf(a.step) - STEPS.indexOf(b.step));
  let current = state;
  for (const field of ordered) {
    const advanced = await answerJourney(journey, current, field.text, field.step);
    if (advanced.error) {
      const problem = problemText(reader, advanced.error, advanced.details);
      return { ok: false, state: current, errors: { [field.block]: fieldError(problem) }, problem };
    }
    current = advanced.state;
  }
  return { ok: true, state: current };
}

/** The modal for the step the core says comes next, or `done` when the review is confirmed. */
export async function nextModal(
  ctx: SlackContext,
  journey: JourneyScope,
  reader: Reader,
  state: JourneyState,
  metadata: WizardMetadata,
  problem?: StepProblem,
): Promise<types.ModalView | 'done'> {
  const view = await viewJourney(journey, state);
  if (view.step === 'done') return 'done';
  if (view.blocked) return noticeModal(tr(reader, view.blocked), reader);
  return drawModal(ctx, journey, reader, view, modalOf(view.step), metadata, problem);
}

/** A named modal of the journey (the next one, or an earlier one to change), drawn from the core's views. */
export async function drawModal(
  ctx: SlackContext,
  journey: JourneyScope,
  reader: Reader,
  view: JourneyView,
  kind: ModalKind,
  metadata: WizardMetadata,
  problem?: StepProblem,
): Promise<types.ModalView> {
  const { state } = view;
  const at = (step: StepName) => viewJourney(journey, state, undefined, step);
  switch (kind) {
    case 'accounts': {
      const counts =
        metadata.counts && state.source
          ? await adminAccount(ctx, journey.actor, state.source.smartAccount)
          : undefined;
      return accountsModal(reader, view, metadata, { counts, ...(problem ? { problem } : {}) });
    }
    case 'form': {
      const [transferees, transferors, justification] = await Promise.all([
        at('transferee'),
        view.asked.includes('transferor') ? at('transferor') : undefined,
        at('justification'),
      ]);
      return formModal(reader, view, metadata, {
        transferees: transferees.people ?? [],
        transferors: transferors?.people,
        company: justification.company,
      });
    }
    case 'assets':
    case 'review': {
      const [source, destination, shown] = await Promise.all([
        accountName(ctx, state.source?.smartAccount),
        accountName(ctx, state.destination?.smartAccount),
        view.step === kind ? view : at(kind),
      ]);
      const data = { source, destination, ...(problem ? { problem } : {}) };
      return kind === 'assets'
        ? assetsModal(reader, shown, metadata, data)
        : reviewModal(reader, shown, metadata, data);
    }
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}
