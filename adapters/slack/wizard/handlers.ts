import type { AckFn, BlockAction, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { endDraft, startDraft, type Draft } from '../../../src/app/journey/drafts.js';
import { formatWholeSelection, withCompany, type JourneyState } from '../../../src/app/journey/journey.js';
import { answerJourney, submitJourney, viewJourney } from '../../../src/app/journey/service.js';
import type { Actor } from '../../../src/domain/types.js';
import { tr, type Reader } from '../../../src/i18n/index.js';
import { who, type SlackContext, type SlackWho } from '../context.js';
import { guarded, type Progress } from '../handlers/guard.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import {
  blockActionsSchema,
  stateOf,
  viewSubmissionSchema,
  type ViewPayload,
  type ViewSubmission,
} from '../payloads.js';
import { noticeModal, transferModal } from '../render/modal.js';
import type { SlackRoutes } from '../routes.js';
import { refsByTab, validatingView } from './assets-view.js';
import { loadWizard, persist, type OpenWizard } from './draft.js';
import { answerFields, drawModal, nextModal, problemText, type FieldAnswer } from './flow.js';
import { registerWizardOptions } from './options.js';
import type { WizardMetadata } from './state.js';
import { ASK_ALL, CALLBACK_OF, type ModalKind, type StepProblem } from './views.js';

/**
 * Opens the wizard at the step the core says comes next, on a new draft (or one started earlier, as
 * the button under a typed `new` does). The trigger_id lives three seconds: nothing slow comes first.
 */
export async function openWizard(
  ctx: SlackContext,
  triggerId: string,
  person: { actor: Actor; reader: Reader },
  start: { state: JourneyState } | { draft: Draft },
): Promise<void> {
  const draft = 'draft' in start ? start.draft : await startDraft(ctx.deps, person.actor, start.state);
  const next = await nextModal(ctx, person.actor, person.reader, draft.state, {
    d: draft.id,
    tab: 'licenses',
  });
  const view =
    next === 'done' ? noticeModal(tr(person.reader, { key: 'slack:error.generic' }), person.reader) : next;
  await ctx.client.views.open({ trigger_id: triggerId, view });
}

const picked = (view: ViewPayload | undefined, block: string, action: string) =>
  stateOf(view, block, action)?.selected_option?.value ?? undefined;

function typed(view: ViewPayload | undefined, block: string, action: string): string | undefined {
  const value = stateOf(view, block, action)?.value;
  return value === null || value === undefined ? undefined : value;
}

const QUERY_MAX = 200;

/**
 * The asset step's answer as the core reads it: the selection on the tab shown (what the draft held
 * for it when the payload has none), the other tab's and the typed references, the whole selections
 * still ticked, and any added by a click.
 */
function assetsAnswer(
  view: ViewPayload,
  state: JourneyState,
  metadata: WizardMetadata,
  added: string[] = [],
): string {
  const held = refsByTab(state);
  const licenses = metadata.tab === 'licenses';
  const shown = stateOf(
    view,
    licenses ? BLOCK.licenses : BLOCK.devices,
    licenses ? ACTION.wizardLicenses : ACTION.wizardDevices,
  );
  const tabRefs = shown
    ? (shown.selected_options ?? []).map((o) => o.value)
    : licenses
      ? held.licenses
      : held.devices;
  const ticked = stateOf(view, BLOCK.whole, ACTION.wizardWhole);
  const whole = ticked
    ? (ticked.selected_options ?? []).map((o) => o.value)
    : (state.assets?.whole ?? []).map(formatWholeSelection);
  return [...tabRefs, ...(licenses ? held.devices : held.licenses), ...held.typed, ...whole, ...added].join(
    ', ',
  );
}

/** A wizard modal's submission as every step reads it: who sent it, their language, the draft it names. */
interface StepSubmission {
  ack: AckFn<ViewResponseAction>;
  view: ViewSubmission['view'];
  person: SlackWho;
  wizard: OpenWizard;
  progress: Progress;
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
        const gone = tr(reader, { key: 'core:journey.error.draftGone' });
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
  complete: (state: JourneyState) => JourneyState = (state) => state,
): Promise<void> {
  const { actor, reader } = step.person;
  const answered = await answerFields(ctx, actor, reader, step.wizard.draft.state, fields);
  const state = answered.ok ? complete(answered.state) : answered.state;
  const draft = await persist(ctx, actor, step.wizard.draft, state);
  if (!answered.ok) {
    await step.ack({ response_action: 'errors', errors: answered.errors });
    return;
  }
  const next = await nextModal(ctx, actor, reader, state, { ...step.wizard.metadata, d: draft.id });
  // Only the review's own submission ends the journey; any other modal reaching the end shows the review.
  const view =
    next === 'done'
      ? await drawModal(
          ctx,
          actor,
          reader,
          await viewJourney(ctx.deps, actor, state),
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
    const transferor = picked(view, BLOCK.transferor, ACTION.wizardTransferor);
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
        block: BLOCK.transferor,
        text: transferor === ASK_ALL ? '' : transferor,
      });
    return advance(ctx, step, fields, (state) =>
      withCompany(state, {
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
    const reviewed = await answerJourney(ctx.deps, actor, draft.state, 'yes', 'review');
    const next = await nextModal(ctx, actor, reader, reviewed.state, metadata);
    if (next !== 'done') {
      await step.ack({ response_action: 'update', view: next });
      return;
    }
    await step.ack({ response_action: 'update', view: validatingView(reader, metadata) });
    const reply = await submitJourney(ctx.deps, actor, reviewed.state);
    let shown;
    if (reply.kind === 'transfer') {
      step.progress.changed(reply.view.id);
      await endDraft(ctx.deps, draft.id);
      shown = transferModal(reply.view, reader, {
        notice: reply.notice,
        warnings: reply.warnings,
        buttons: ['submit', 'cancel', 'download'],
        callbackId: CALLBACK.wizardResult,
      });
    } else if (reply.kind === 'refused') {
      // The draft is not marked reviewed: the review is shown again with what is wrong.
      const problem = problemText(reader, reply.refusal.message, reply.refusal.details);
      const view = await viewJourney(ctx.deps, actor, draft.state);
      shown = await drawModal(ctx, actor, reader, view, 'review', metadata, problem);
    } else {
      shown = noticeModal(tr(reader, { key: 'slack:error.generic' }), reader);
    }
    await ctx.client.views.update({ view_id: step.view.id, view: shown });
  });

  registerRedraws(app, ctx);
  registerWizardOptions(app, ctx);
}

const KIND_OF: Record<string, ModalKind> = Object.fromEntries(
  Object.entries(CALLBACK_OF).map(([kind, callback]) => [callback, kind as ModalKind]),
);

interface Redrawn {
  state: JourneyState;
  metadata: WizardMetadata;
  kind?: ModalKind;
  problem?: StepProblem;
}

/** Clicks inside a wizard modal: the change goes to the core and the modal is drawn again. */
function registerRedraws(app: SlackRoutes, ctx: SlackContext): void {
  const redraw = (
    actionId: string | RegExp,
    change: (
      open: OpenWizard,
      view: ViewPayload,
      actor: Actor,
      reader: Reader,
      value: string,
    ) => Promise<Redrawn>,
  ) =>
    app.action<BlockAction>(
      actionId,
      guarded(ctx, async ({ ack, body }) => {
        await ack();
        const p = blockActionsSchema.parse(body);
        if (!p.view) return;
        const person = await who(ctx, p.user.id, true);
        if (!person.ok) return;
        const { actor, reader } = person.value;
        const wizard = await loadWizard(ctx, actor, p.view.private_metadata);
        const kind = KIND_OF[p.view.callback_id ?? ''];
        if (!wizard || !kind) return;
        const changed = await change(wizard, p.view, actor, reader, p.actions[0]?.value ?? '');
        const draft = await persist(ctx, actor, wizard.draft, changed.state);
        const journey = await viewJourney(ctx.deps, actor, changed.state);
        const metadata = { ...changed.metadata, d: draft.id };
        const view = await drawModal(
          ctx,
          actor,
          reader,
          journey,
          changed.kind ?? kind,
          metadata,
          changed.problem,
        );
        await ctx.client.views.update({
          view_id: p.view.id,
          ...(p.view.hash ? { hash: p.view.hash } : {}),
          view,
        });
      }),
    );

  /** The asset step answered with what the modal shows (plus what a click adds); a wrong answer is said above. */
  const answerAssets = async (
    wizard: OpenWizard,
    view: ViewPayload,
    actor: Actor,
    reader: Reader,
    added: string[] = [],
  ): Promise<{ state: JourneyState; problem?: StepProblem }> => {
    const state = wizard.draft.state;
    const text = assetsAnswer(view, state, wizard.metadata, added);
    if (text.trim() === '') {
      // Nothing selected any more: the step is unanswered again.
      const rest = { ...state };
      delete rest.assets;
      return { state: rest };
    }
    const answered = await answerFields(ctx, actor, reader, state, [{ step: 'assets', block: '', text }]);
    return answered.ok ? { state: answered.state } : { state: answered.state, problem: answered.problem };
  };

  redraw(ACTION.wizardShowCounts, async (wizard, view, actor, reader) => {
    const source = picked(view, BLOCK.source, ACTION.wizardSource);
    const metadata = { ...wizard.metadata, counts: true };
    if (!source) return { state: wizard.draft.state, metadata };
    const answered = await answerFields(ctx, actor, reader, wizard.draft.state, [
      { step: 'source', block: BLOCK.source, text: source },
    ]);
    return { state: answered.state, metadata, ...(answered.ok ? {} : { problem: answered.problem }) };
  });

  for (const [actionId, tab] of [
    [ACTION.wizardTabLicenses, 'licenses'],
    [ACTION.wizardTabDevices, 'devices'],
  ] as const) {
    redraw(actionId, async (wizard, view, actor, reader) => ({
      ...(await answerAssets(wizard, view, actor, reader)),
      metadata: { ...wizard.metadata, tab },
    }));
  }

  redraw(ACTION.wizardSearch, async (wizard, view, actor, reader) => {
    const selected = await answerAssets(wizard, view, actor, reader);
    const query = (typed(view, BLOCK.search, ACTION.wizardSearch) ?? '').trim().slice(0, QUERY_MAX);
    const searched = await answerJourney(ctx.deps, actor, selected.state, `?${query}`, 'assets');
    return { ...selected, state: searched.state, metadata: wizard.metadata };
  });

  redraw(ACTION.wizardSelectAll, async (wizard, view, actor, reader) => ({
    ...(await answerAssets(wizard, view, actor, reader, ['ALL'])),
    metadata: wizard.metadata,
  }));

  redraw(ACTION.wizardChange, async (wizard, _view, _actor, _reader, value) => ({
    state: wizard.draft.state,
    metadata: wizard.metadata,
    kind: value === 'accounts' || value === 'form' || value === 'assets' ? value : 'review',
  }));
}
