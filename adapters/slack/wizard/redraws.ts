/** Clicks inside a wizard modal (counts, tabs, search, Select all, the transferee, back from the review). */
import type { BlockAction } from '@slack/bolt';
import type { JourneyState } from '../../../src/app/journey/journey.js';
import {
  answerJourney,
  journeyScope,
  selectAllAnswer,
  viewJourney,
  type JourneyScope,
} from '../../../src/app/journey/service.js';
import { draftGoneMessage } from '../../../src/app/journey/drafts.js';
import type { Msg, Reader } from '../../../src/i18n/index.js';
import { noticeModal } from '../render/modal.js';
import { who, type SlackContext } from '../context.js';
import { guarded } from '../handlers/guard.js';
import { ACTION, BLOCK } from '../ids.js';
import { blockActionsSchema, type ViewPayload } from '../payloads.js';
import type { SlackRoutes } from '../routes.js';
import { loadWizard, persist, type OpenWizard } from './draft.js';
import { assetsAnswer, formAsLeft, picked, QUERY_MAX, typed } from './fields.js';
import { answerFields, drawModal } from './flow.js';
import { decodeMetadata, type WizardMetadata } from './state.js';
import { CALLBACK_OF, type ModalKind, type StepProblem } from './views.js';

const KIND_OF: Record<string, ModalKind> = Object.fromEntries(
  Object.entries(CALLBACK_OF).map(([kind, callback]) => [callback, kind as ModalKind]),
);

interface Redrawn {
  state: JourneyState;
  metadata: WizardMetadata;
  kind?: ModalKind;
  problem?: StepProblem;
  /** Fields drawn as the person left them, over the draft's answers (not saved: not answered yet). */
  left?: Partial<JourneyState>;
}

/** Clicks inside a wizard modal: the change goes to the core and the modal is drawn again. */
export function registerRedraws(app: SlackRoutes, ctx: SlackContext): void {
  const redraw = (
    actionId: string | RegExp,
    change: (
      open: OpenWizard,
      view: ViewPayload,
      journey: JourneyScope,
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
        const shown = p.view;
        // A click the wizard cannot take is answered in the modal itself, not left without a word.
        const notice = (message: Msg, reader: Reader) =>
          ctx.client.views.update({ view_id: shown.id, view: noticeModal(message, reader) });
        const person = await who(ctx, p.user.id, true);
        if (!person.ok) {
          await notice(person.refusal.message, person.reader);
          return;
        }
        const { actor, reader } = person.value;
        const wizard = await loadWizard(ctx, actor, p.view.private_metadata);
        const kind = KIND_OF[p.view.callback_id ?? ''];
        if (!kind) return;
        if (!wizard) {
          const draftId = decodeMetadata(p.view.private_metadata)?.d;
          await notice(await draftGoneMessage(ctx.deps, actor, draftId), reader);
          return;
        }
        const journey = journeyScope(ctx.deps, actor);
        const action = p.actions[0];
        const value = action?.value ?? action?.selected_option?.value ?? '';
        const changed = await change(wizard, p.view, journey, reader, value);
        const draft = await persist(ctx, actor, wizard.draft, changed.state);
        const metadata = { ...changed.metadata, d: draft.id };
        const drawn = await viewJourney(journey, changed.state);
        const view = await drawModal(
          ctx,
          journey,
          reader,
          changed.left ? { ...drawn, state: { ...drawn.state, ...changed.left } } : drawn,
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
    journey: JourneyScope,
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
    const answered = await answerFields(journey, reader, state, [{ step: 'assets', block: '', text }]);
    return answered.ok ? { state: answered.state } : { state: answered.state, problem: answered.problem };
  };

  redraw(ACTION.wizardShowCounts, async (wizard, view, journey, reader) => {
    const source = picked(view, BLOCK.source, ACTION.wizardSource);
    const metadata = { ...wizard.metadata, counts: true };
    if (!source) return { state: wizard.draft.state, metadata };
    const answered = await answerFields(journey, reader, wizard.draft.state, [
      { step: 'source', block: BLOCK.source, text: source },
    ]);
    return { state: answered.state, metadata, ...(answered.ok ? {} : { problem: answered.problem }) };
  });

  for (const [actionId, tab] of [
    [ACTION.wizardTabLicenses, 'licenses'],
    [ACTION.wizardTabDevices, 'devices'],
  ] as const) {
    redraw(actionId, async (wizard, view, journey, reader) => ({
      ...(await answerAssets(wizard, view, journey, reader)),
      metadata: { ...wizard.metadata, tab },
    }));
  }

  redraw(ACTION.wizardSearch, async (wizard, view, journey, reader) => {
    const selected = await answerAssets(wizard, view, journey, reader);
    const query = (typed(view, BLOCK.search, ACTION.wizardSearch) ?? '').trim().slice(0, QUERY_MAX);
    const searched = await answerJourney(journey, selected.state, `?${query}`, 'assets');
    return { ...selected, state: searched.state, metadata: wizard.metadata };
  });

  redraw(ACTION.wizardSelectAll, async (wizard, view, journey, reader) => ({
    ...(await answerAssets(wizard, view, journey, reader, [selectAllAnswer(wizard.metadata.tab)])),
    metadata: wizard.metadata,
  }));

  // The transferee chosen on a partner's request: the form is drawn again for them, its transferors those
  // the core offers once they are the transferee, everything else as the person left it.
  redraw(ACTION.wizardTransferee, async (wizard, view, journey, _reader, value) => {
    const left = formAsLeft(view, wizard.metadata);
    const transferee = value || picked(view, BLOCK.transferee, ACTION.wizardTransferee);
    const state = transferee
      ? (await answerJourney(journey, wizard.draft.state, transferee, 'transferee')).state
      : wizard.draft.state;
    return { state, metadata: wizard.metadata, left };
  });

  redraw(ACTION.wizardChange, async (wizard, _view, _actor, _reader, value) => ({
    state: wizard.draft.state,
    metadata: wizard.metadata,
    kind: value === 'accounts' || value === 'form' || value === 'assets' ? value : 'review',
  }));
}
