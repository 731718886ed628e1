import type { AckFn, BlockAction, types, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { submitJourney } from '../../../src/app/journey/service.js';
import { transfereeCompany } from '../../../src/app/request-form.js';
import { tr, type Reader } from '../../../src/i18n/index.js';
import { DEFAULT_VIRTUAL_ACCOUNT, type Actor, type Refusal } from '../../../src/domain/types.js';
import { who, type SlackContext } from '../context.js';
import { guarded, type Progress } from '../handlers/guard.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import {
  blockActionsSchema,
  stateOf,
  viewSubmissionSchema,
  type ViewPayload,
  type ViewSubmission,
} from '../payloads.js';
import type { SlackWho } from '../context.js';
import { noticeModal, transferModal } from '../render/modal.js';
import { accountName, adminAccount, assetsFor } from './data.js';
import { registerWizardOptions } from './options.js';
import { endDraft, startDraft } from '../../../src/app/journey/drafts.js';
import { loadWizard, persist } from './draft.js';
import { toJourney, type WizardState } from './state.js';
import { assetsStep, validatingView } from './assets-view.js';
import { accountsStep, detailsStep, formStep, type StepProblem } from './views.js';
import type { SlackRoutes } from '../routes.js';

/** Opens the wizard at its first step; the trigger_id lives three seconds, so this comes before anything slow. */
export async function openWizard(
  ctx: SlackContext,
  triggerId: string,
  person: { actor: Actor; reader: Reader },
  wizard: WizardState,
  push = false,
): Promise<void> {
  const draft = await startDraft(ctx.deps, person.actor, toJourney(wizard));
  const view = accountsStep(person.reader, { ...wizard, draft: draft.id });
  if (push) await ctx.client.views.push({ trigger_id: triggerId, view });
  else await ctx.client.views.open({ trigger_id: triggerId, view });
}

function picked(view: ViewPayload | undefined, block: string, action: string): string | undefined {
  return stateOf(view, block, action)?.selected_option?.value ?? undefined;
}

function typed(view: ViewPayload | undefined, block: string, action: string): string | undefined {
  const value = stateOf(view, block, action)?.value;
  return value === null || value === undefined ? undefined : value;
}

/** The block holding the selection of the tab being shown. */
const selectionBlock = (wizard: WizardState) => (wizard.tab === 'licenses' ? BLOCK.licenses : BLOCK.devices);

/** The selection on the tab being shown replaces what the draft held for that tab. */
function captureSelection(wizard: WizardState, view: ViewPayload | undefined): void {
  const action = wizard.tab === 'licenses' ? ACTION.wizardLicenses : ACTION.wizardDevices;
  const value = stateOf(view, selectionBlock(wizard), action);
  if (!value) return;
  const refs = (value.selected_options ?? []).map((o) => o.value);
  if (wizard.tab === 'licenses') wizard.lic = refs;
  else wizard.dev = refs;
}

function problemOf(refusal: Refusal, reader: Reader): StepProblem {
  return {
    text: tr(reader, refusal.message),
    details: (refusal.details ?? []).map((d) => tr(reader, d)),
  };
}

// Where a refused request sends the requester back to: the step that holds what must change.
const ACCOUNT_PROBLEMS = new Set([
  'core:refusal.notAdminOfBoth',
  'core:refusal.unknownAccount',
  'core:refusal.unknownVirtualAccount',
  'core:refusal.sameAccount',
]);
const FORM_PROBLEMS = new Set([
  'core:refusal.formIncomplete',
  'core:refusal.transfereeNotAdmin',
  'core:refusal.transfereeIsRequester',
  'core:refusal.noTransferorAvailable',
]);

async function assetsStepFor(
  ctx: SlackContext,
  person: { actor: Actor },
  reader: Reader,
  wizard: WizardState,
  problem?: StepProblem,
): Promise<types.ModalView> {
  const [source, destination, listing] = await Promise.all([
    accountName(ctx, wizard.from),
    accountName(ctx, wizard.to),
    assetsFor(ctx, person.actor, wizard, wizard.tab, wizard.search, 15),
  ]);
  return assetsStep(reader, wizard, {
    source,
    destination,
    ...(listing ? { listing } : {}),
    ...(problem ? { problem } : {}),
  });
}

/** A wizard step's submission as every step reads it: who sent it, their language, the draft it carries. */
interface StepSubmission {
  ack: AckFn<ViewResponseAction>;
  view: ViewSubmission['view'];
  person: SlackWho;
  reader: Reader;
  wizard: WizardState;
  progress: Progress;
}

/**
 * Handles one step's submission. The person is identified from the database only (Slack waits three
 * seconds for the answer); someone the bot cannot identify sees why in place of the wizard.
 */
function onStep(
  app: SlackRoutes,
  ctx: SlackContext,
  callbackId: string,
  handle: (step: StepSubmission) => Promise<void>,
): void {
  app.view<ViewSubmitAction>(
    callbackId,
    guarded(ctx, async ({ ack, body }, progress) => {
      const p = viewSubmissionSchema.parse(body);
      const person = await who(ctx, p.user.id, true);
      if (!person.ok) {
        await ack({
          response_action: 'update',
          view: noticeModal(person.refusal.message, person.reader),
        });
        return;
      }
      const loaded = await loadWizard(ctx, person.value.actor, p.view.private_metadata);
      if (!loaded) {
        await ack({
          response_action: 'update',
          view: noticeModal(
            tr(person.value.reader, { key: 'core:journey.error.draftGone' }),
            person.value.reader,
          ),
        });
        return;
      }
      const { wizard, draft } = loaded;
      await handle({
        // Whatever the step changed is in the draft before Slack shows the next view.
        ack: async (response) => {
          await persist(ctx, person.value.actor, draft, wizard);
          await ack(response);
        },
        view: p.view,
        person: person.value,
        reader: person.value.reader,
        wizard,
        progress,
      });
    }),
  );
}

export function registerWizard(app: SlackRoutes, ctx: SlackContext): void {
  // Step 1 → 2: both accounts must be ones the requester administers, and not the same one.
  onStep(app, ctx, CALLBACK.wizardAccounts, async ({ ack, view, person, reader, wizard }) => {
    const from = picked(view, BLOCK.source, ACTION.wizardSource);
    const to = picked(view, BLOCK.destination, ACTION.wizardDestination);
    if (from !== wizard.from) delete wizard.fromVa;
    wizard.from = from;
    wizard.to = to;
    const [source, destination] = await Promise.all([
      adminAccount(ctx, person.actor, from),
      adminAccount(ctx, person.actor, to),
    ]);
    const errors: Record<string, string> = {};
    if (!source)
      errors[BLOCK.source] = tr(reader, {
        key: 'core:refusal.notAdminOf',
        params: { domain: from ?? '' },
      });
    if (!destination)
      errors[BLOCK.destination] = tr(reader, {
        key: 'core:refusal.notAdminOf',
        params: { domain: to ?? '' },
      });
    if (source && destination && source.domain === destination.domain) {
      errors[BLOCK.destination] = tr(reader, {
        key: 'core:refusal.sameAccount',
        params: { domain: source.domain },
      });
    }
    if (!source || !destination || Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack({ response_action: 'update', view: detailsStep(reader, wizard, { source, destination }) });
  });

  // Step 2 → 3 (another company) or → assets (same company).
  onStep(app, ctx, CALLBACK.wizardDetails, async ({ ack, view, person, reader, wizard }) => {
    const fromVa = picked(view, BLOCK.sourceVa, ACTION.wizardSourceVa);
    if (fromVa) wizard.fromVa = fromVa;
    else delete wizard.fromVa;
    wizard.toVa = picked(view, BLOCK.destinationVa, ACTION.wizardDestinationVa) ?? DEFAULT_VIRTUAL_ACCOUNT;
    wizard.same = picked(view, BLOCK.sameCompany, ACTION.wizardSameCompany) === 'yes';
    if (!wizard.same && wizard.to) {
      const company = await transfereeCompany(ctx.deps, wizard.to);
      wizard.legalName ??= company.legalName ?? undefined;
      wizard.address ??= company.address ?? undefined;
      await ack({ response_action: 'update', view: formStep(reader, wizard) });
      return;
    }
    await ack({ response_action: 'update', view: await assetsStepFor(ctx, person, reader, wizard) });
  });

  // Step 3 → 4: the form as typed; the core checks it when the request is made.
  onStep(app, ctx, CALLBACK.wizardForm, async ({ ack, view, person, reader, wizard }) => {
    wizard.transferee = picked(view, BLOCK.transferee, ACTION.wizardTransferee);
    wizard.justification = typed(view, BLOCK.justification, ACTION.wizardJustification);
    wizard.legalName = typed(view, BLOCK.legalName, ACTION.wizardLegalName);
    wizard.address = typed(view, BLOCK.address, ACTION.wizardAddress);
    wizard.terms = (stateOf(view, BLOCK.terms, ACTION.wizardTerms)?.selected_options ?? []).some(
      (o) => o.value === 'accept',
    );
    await ack({ response_action: 'update', view: await assetsStepFor(ctx, person, reader, wizard) });
  });

  // Submit for Review: the request goes to the core; the answer replaces the wizard when it comes.
  onStep(app, ctx, CALLBACK.wizardAssets, async ({ ack, view, person, reader, wizard, progress }) => {
    captureSelection(wizard, view);
    delete wizard.search;
    await ack({ response_action: 'update', view: validatingView(reader, wizard) });
    const reply = await submitJourney(ctx.deps, person.actor, { ...toJourney(wizard), reviewed: true });
    let next: types.ModalView;
    if (reply.kind === 'transfer') {
      progress.changed(reply.view.id);
      if (wizard.draft) await endDraft(ctx.deps, wizard.draft);
      next = transferModal(reply.view, reader, {
        notice: reply.notice,
        warnings: reply.warnings,
        buttons: ['submit', 'cancel', 'download'],
        callbackId: CALLBACK.wizardResult,
      });
    } else if (reply.kind === 'refused') {
      const problem = problemOf(reply.refusal, reader);
      const key = reply.refusal.message.key;
      if (ACCOUNT_PROBLEMS.has(key)) next = accountsStep(reader, wizard, { problem });
      else if (FORM_PROBLEMS.has(key) && !wizard.same) next = formStep(reader, wizard, { problem });
      else next = await assetsStepFor(ctx, person, reader, wizard, problem);
    } else {
      next = noticeModal(tr(reader, { key: 'slack:error.generic' }), reader);
    }
    await ctx.client.views.update({ view_id: view.id, view: next });
  });

  async function redraw(
    body: unknown,
    change: (wizard: WizardState, view: ViewPayload) => void,
    withCounts = false,
  ): Promise<void> {
    const p = blockActionsSchema.parse(body);
    if (!p.view) return;
    const person = await who(ctx, p.user.id, true);
    if (!person.ok) return;
    const reader = person.value.reader;
    const loaded = await loadWizard(ctx, person.value.actor, p.view.private_metadata);
    if (!loaded) return;
    const { wizard, draft } = loaded;
    change(wizard, p.view);
    await persist(ctx, person.value.actor, draft, wizard);
    let view: types.ModalView;
    if (p.view.callback_id === CALLBACK.wizardAccounts) {
      const counts = withCounts ? await adminAccount(ctx, person.value.actor, wizard.from) : undefined;
      view = accountsStep(reader, wizard, { counts });
    } else {
      view = await assetsStepFor(ctx, person.value, reader, wizard);
    }
    await ctx.client.views.update({
      view_id: p.view.id,
      ...(p.view.hash ? { hash: p.view.hash } : {}),
      view,
    });
  }

  app.action<BlockAction>(
    ACTION.wizardShowCounts,
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      await redraw(
        body,
        (wizard, view) => {
          wizard.from = picked(view, BLOCK.source, ACTION.wizardSource) ?? wizard.from;
          wizard.to = picked(view, BLOCK.destination, ACTION.wizardDestination) ?? wizard.to;
          wizard.counts = true;
        },
        true,
      );
    }),
  );

  for (const [actionId, tab] of [
    [ACTION.wizardTabLicenses, 'licenses'],
    [ACTION.wizardTabDevices, 'devices'],
  ] as const) {
    app.action<BlockAction>(
      actionId,
      guarded(ctx, async ({ ack, body }) => {
        await ack();
        await redraw(body, (wizard, view) => {
          captureSelection(wizard, view);
          if (wizard.tab !== tab) delete wizard.search;
          wizard.tab = tab;
        });
      }),
    );
  }

  app.action<BlockAction>(
    ACTION.wizardSearch,
    guarded(ctx, async ({ ack, body }) => {
      await ack();
      await redraw(body, (wizard, view) => {
        captureSelection(wizard, view);
        const query = typed(view, BLOCK.search, ACTION.wizardSearch)?.trim();
        if (query) wizard.search = query;
        else delete wizard.search;
      });
    }),
  );

  registerWizardOptions(app, ctx);
}
