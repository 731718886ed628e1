import type { AckFn, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { failureMessage, type ChangeTracker } from '../../../src/app/failure.js';
import { closeDraft, draftGoneMessage, startDraft, type Draft } from '../../../src/app/journey/drafts.js';
import { answerCompany } from '../../../src/app/journey/company.js';
import type { Answered, JourneyState } from '../../../src/app/journey/journey.js';
import { answerJourney, journeyScope, submitJourney, viewJourney } from '../../../src/app/journey/service.js';
import type { Actor } from '../../../src/domain/types.js';
import { tr, type Msg, type Reader } from '../../../src/i18n/index.js';
import { who, type SlackContext, type SlackWho } from '../context.js';
import { guarded, slackTyped } from '../handlers/guard.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { stateOf, viewSubmissionSchema, type ViewSubmission } from '../payloads.js';
import { noticeModal, transferModal } from '../render/modal.js';
import type { SlackRoutes } from '../routes.js';
import { validatingView } from './assets-view.js';
import { loadWizard, persist, type OpenWizard } from './draft.js';
import { decodeMetadata } from './state.js';
import { answerFields, drawModal, nextModal, problemText, type FieldAnswer } from './flow.js';
import { registerWizardOptions } from './options.js';
import { assetsAnswer, picked, typed } from './fields.js';
import { registerRedraws } from './redraws.js';
import { ASK_ALL, CALLBACK_OF, transferorBlock, type ModalKind } from './views.js';

/**
 * Opens the wizard at the step the core says comes next, on a new draft (or one started earlier, as
 * the button under a typed `new` does). The trigger_id lives three seconds: nothing slow comes first.
 */
export async function openWizard(
  ctx: SlackContext,
  triggerId: string,
  person: { actor: Actor; reader: Reader },
  start: { state: JourneyState } | { draft: Draft },
  /** Shown on the first modal: why it is not where the person left off. */
  problem?: Msg,
  /** The modal the click came from (the offer of a request in progress), replaced rather than stacked. */
  viewId?: string,
): Promise<void> {
  const draft = 'draft' in start ? start.draft : await startDraft(ctx.deps, person.actor, start.state);
  const next = await nextModal(
    ctx,
    journeyScope(ctx.deps, person.actor),
    person.reader,
    draft.state,
    { d: draft.id, tab: 'licenses' },
    problem && problemText(person.reader, problem),
  );
  const view =
    next === 'done'
      ? noticeModal(tr(person.reader, { key: 'core:failure.nothingChanged' }), person.reader)
      : next;
  if (viewId !== undefined) await ctx.client.views.update({ view_id: viewId, view });
  else await ctx.client.views.open({ trigger_id: triggerId, view });
}

/** A wizard modal's submission as every step reads it: who sent it, their language, the draft it names. */
interface StepSubmission {
  ack: AckFn<ViewResponseAction>;
  view: ViewSubmission['view'];
  person: SlackWho;
  wizard: OpenWizard;
  progress: ChangeTracker;
}

/**
 * Handles one modal's submission. The person is identified from the database only (Slack waits three
 * seconds for the answer); someone the bot cannot identify, or whose draft is gone, sees why instead.
 */
function onStep(
  app: SlackRoutes,
  ctx: SlackContext,
  kind: ModalKind,
  handle: (step: StepSubmission) => Promise<void>,
): void {
  app.view<ViewSubmitAction>(
    CALLBACK_OF[kind],
    guarded(ctx, async ({ ack, body }, progress) => {
      const p = viewSubmissionSchema.parse(body);
      const person = await who(ctx, p.user.id, true);
      if (!person.ok) {
        await ack({ response_action: 'update', view: noticeModal(person.refusal.message, person.reader) });
        return;
      }
      const reader = person.value.reader;
      const wizard = await loadWizard(ctx, person.value.actor, p.view.private_metadata);
      if (!wizard) {
        const draftId = decodeMetadata(p.view.private_metadata)?.d;
        const gone = tr(reader, await draftGoneMessage(ctx.deps, person.value.actor, draftId));
        await ack({ response_action: 'update', view: noticeModal(gone, reader) });
        return;
      }
      await handle({ ack, view: p.view, person: person.value, wizard, progress });
    }),
  );
}

/**
 * Each field's answer goes to the core; the first wrong one is shown on its field and every answer is
 * kept. Otherwise the modal becomes the one for the step the core says comes next.
 */
async function advance(
  ctx: SlackContext,
  step: StepSubmission,
  fields: FieldAnswer[],
  complete: (state: JourneyState) => Answered = (state) => ({ ok: true, state }),
): Promise<void> {
  const { actor, reader } = step.person;
  const journey = journeyScope(ctx.deps, actor);
  const answered = await answerFields(journey, reader, step.wizard.draft.state, fields);
  const completed = answered.ok ? complete(answered.state) : undefined;
  const state = completed?.ok ? completed.state : answered.state;
  const draft = await persist(ctx, actor, step.wizard.draft, state);
  if (!answered.ok) {
    await step.ack({ response_action: 'errors', errors: answered.errors });
    return;
  }
  if (completed && !completed.ok) {
    // The request form's company fields: the message names the field it is about.
    const block =
      completed.error.params?.fieldKey === 'common:field.address' ? BLOCK.address : BLOCK.legalName;
    await step.ack({ response_action: 'errors', errors: { [block]: tr(reader, completed.error) } });
    return;
  }
  const next = await nextModal(ctx, journey, reader, state, { ...step.wizard.metadata, d: draft.id });
  // Only the review's own submission ends the journey; any other modal reaching the end shows the review.
  const view =
    next === 'done'
      ? await drawModal(
          ctx,
          journey,
          reader,
          await viewJourney(journey, state),
          'review',
          step.wizard.metadata,
        )
      : next;
  await step.ack({ response_action: 'update', view });
}

export function registerWizard(app: SlackRoutes, ctx: SlackContext): void {
  onStep(app, ctx, 'accounts', (step) =>
    advance(ctx, step, [
      {
        step: 'source',
        block: BLOCK.source,
        text: picked(step.view, BLOCK.source, ACTION.wizardSource) ?? '',
      },
      {
        step: 'destination',
        block: BLOCK.destination,
        text: picked(step.view, BLOCK.destination, ACTION.wizardDestination) ?? '',
      },
      {
        step: 'sameCompany',
        block: BLOCK.sameCompany,
        text: picked(step.view, BLOCK.sameCompany, ACTION.wizardSameCompany) ?? '',
      },
    ]),
  );

  onStep(app, ctx, 'form', (step) => {
    const { view } = step;
    const transferorAt = transferorBlock(step.wizard.metadata);
    const transferor = picked(view, transferorAt, ACTION.wizardTransferor);
    const terms = (stateOf(view, BLOCK.terms, ACTION.wizardTerms)?.selected_options ?? []).some(
      (o) => o.value === 'accept',
    );
    const fields: FieldAnswer[] = [
      {
        step: 'transferee',
        block: BLOCK.transferee,
        text: picked(view, BLOCK.transferee, ACTION.wizardTransferee) ?? '',
      },
      {
        step: 'justification',
        block: BLOCK.justification,
        text: typed(view, BLOCK.justification, ACTION.wizardJustification) ?? '',
      },
      { step: 'terms', block: BLOCK.terms, text: terms ? 'yes' : 'no' },
    ];
    if (transferor !== undefined)
      fields.push({
        step: 'transferor',
        block: transferorAt,
        text: transferor === ASK_ALL ? '' : transferor,
      });
    return advance(ctx, step, fields, (state) =>
      answerCompany(state, {
        legalName: typed(view, BLOCK.legalName, ACTION.wizardLegalName) ?? state.transfereeLegalName,
        address: typed(view, BLOCK.address, ACTION.wizardAddress) ?? state.transfereeAddress,
      }),
    );
  });

  onStep(app, ctx, 'assets', (step) => {
    const { wizard, view } = step;
    const block = wizard.metadata.tab === 'licenses' ? BLOCK.licenses : BLOCK.devices;
    return advance(ctx, step, [
      { step: 'assets', block, text: assetsAnswer(view, wizard.draft.state, wizard.metadata) },
    ]);
  });

  // Submit for Review: the core makes the request; its answer replaces the wizard when it comes.
  onStep(app, ctx, 'review', async (step) => {
    const { actor, reader } = step.person;
    const { draft, metadata } = step.wizard;
    const journey = journeyScope(ctx.deps, actor);
    const reviewed = await answerJourney(journey, draft.state, 'yes', 'review');
    const next = await nextModal(ctx, journey, reader, reviewed.state, metadata);
    if (next !== 'done') {
      await step.ack({ response_action: 'update', view: next });
      return;
    }
    await step.ack({ response_action: 'update', view: validatingView(reader, metadata) });
    const reply = await submitJourney(ctx.deps, actor, reviewed.state, step.progress.mark);
    let shown;
    if (reply.kind === 'transfer') {
      await closeDraft(ctx.deps, draft, reply.view.id);
      shown = transferModal(reply.view, reader, {
        notice: reply.notice,
        warnings: reply.warnings,
        buttons: ['submit', 'cancel', 'download'],
        callbackId: CALLBACK.wizardResult,
      });
    } else if (reply.kind === 'refused') {
      // The draft is not marked reviewed: the review is shown again with what is wrong.
      const problem = problemText(reader, reply.refusal.message, reply.refusal.details);
      const view = await viewJourney(journey, draft.state);
      shown = await drawModal(ctx, journey, reader, view, 'review', metadata, problem);
    } else {
      shown = noticeModal(tr(reader, failureMessage(step.progress.changed, slackTyped)), reader);
    }
    await ctx.client.views.update({ view_id: step.view.id, view: shown });
  });

  registerRedraws(app, ctx);
  registerWizardOptions(app, ctx);
}
