import type { AppDeps } from '../../src/app/deps.js';
import type { MarkChange } from '../../src/app/failure.js';
import type { Reply } from '../../src/app/dispatch.js';
import {
  closeDraft,
  draftGoneMessage,
  endDraft,
  saveDraft,
  type Draft,
} from '../../src/app/journey/drafts.js';
import { virtualAccountLabel } from '../../src/app/queries.js';
import {
  answerJourney,
  journeyScope,
  submitJourney,
  viewJourney,
  type JourneyView,
} from '../../src/app/journey/service.js';
import type { Actor } from '../../src/domain/types.js';
import type { Msg } from '../../src/domain/msg.js';
import {
  accountLabel,
  heading,
  personLabel,
  tr,
  translate,
  type CatalogKey,
  type Reader,
} from '../../src/i18n/index.js';
import { reviewAnswers } from '../../src/app/journey/review-answers.js';
import { assetLine, selectionLines } from './render.js';

/** Reads one answer; undefined at the end of input (the wizard then stops, its answers kept in the draft). */
export type Ask = (question: string) => Promise<string | undefined>;

/**
 * The request wizard as prompts. The core's journey says which step comes next and checks each answer;
 * this only draws the step, asks, and says what was wrong before asking the same step again. Whatever
 * the draft holds (what `new …` or its file gave, or the answers of a request in progress) is not asked
 * again, and every answer is kept in it: input that ends leaves it to be continued with `new`; a single
 * dot discards it. Nothing is created until the review is confirmed.
 */
export async function runWizard(
  deps: AppDeps,
  actor: Actor,
  reader: Reader,
  start: Draft,
  ask: Ask,
  say: (text: string) => void,
  changed?: MarkChange,
): Promise<Reply | null> {
  const t = (key: CatalogKey, params?: Record<string, string | number>) =>
    translate(reader.locale, key, params);
  say(t('console:wizard.intro'));
  let draft = start;
  let error: { message: Msg; details: Msg[] } | undefined;
  for (;;) {
    // One reading of the inventory for drawing this step and taking its answer.
    const journey = journeyScope(deps, actor);
    const view = await viewJourney(journey, draft.state);
    if (view.step === 'done') {
      const reply = await submitJourney(deps, actor, draft.state, changed);
      if (reply.kind === 'transfer') await closeDraft(deps, draft, reply.view.id);
      return reply;
    }
    if (view.blocked) return { kind: 'refused', refusal: { code: 'invalid', message: view.blocked } };
    if (error) {
      say(`✖ ${tr(reader, error.message)}`);
      for (const detail of error.details) say(`  - ${tr(reader, detail)}`);
    } else {
      drawStep(reader, view, say);
    }
    const answer = await ask(`${t(`core:journey.step.${view.step}`)} `);
    if (answer === undefined) {
      say(t('console:wizard.kept'));
      return null;
    }
    if (answer.trim() === '.') {
      await endDraft(deps, draft.id);
      say(t('console:wizard.abandoned'));
      return null;
    }
    const advanced = await answerJourney(journey, draft.state, answer);
    if (advanced.note) say(`⚠ ${tr(reader, advanced.note)}`);
    const saved = await saveDraft(deps, draft, advanced.state);
    // Changed or ended elsewhere (another console as the same person) since it was read: not overwritten.
    if (!saved) {
      say(`✖ ${tr(reader, await draftGoneMessage(deps, actor, draft.id))}`);
      return null;
    }
    draft = saved;
    error = advanced.error ? { message: advanced.error, details: advanced.details ?? [] } : undefined;
  }
}

/** What the step offers: accounts with their counts, people, assets of the current search, the review. */
function drawStep(reader: Reader, view: JourneyView, say: (text: string) => void): void {
  const t = (key: CatalogKey, params?: Record<string, string | number>) =>
    translate(reader.locale, key, params);
  const counts = (c: { licenses: number; devices: number }) => t('common:summary.assetCounts', c);
  switch (view.step) {
    case 'source':
    case 'destination':
      (view.accounts ?? []).forEach((a, i) => {
        const label = accountLabel(reader.locale, a);
        say(`  [${i + 1}] ${a.isSource ? t('core:journey.sourceGreyed', { domain: label }) : label}`);
        if (!a.isSource)
          for (const va of a.virtualAccounts)
            say(`      ${virtualAccountLabel(reader.locale, va)} — ${counts(va)}`);
      });
      break;
    case 'destinationVirtualAccount': {
      const chosen = view.accounts?.find((a) => a.domain === view.state.destination?.smartAccount);
      (chosen?.virtualAccounts ?? []).forEach((va, i) =>
        say(`  [${i + 1}] ${virtualAccountLabel(reader.locale, va)}`),
      );
      break;
    }
    case 'sameCompany':
      say(t('common:question.sameCompanyHint'));
      break;
    case 'transferee':
    case 'transferor':
      (view.people ?? []).forEach((p, i) => say(`  [${i + 1}] ${personLabel(reader.locale, p)}`));
      break;
    case 'assets':
      if (view.assets) {
        for (const list of [view.assets.licenses, view.assets.devices]) {
          say(heading(reader.locale, t(`common:field.${list.tab}`)));
          for (const row of list.rows) say(assetLine(reader, row));
          if (list.more) say(t('console:assets.more'));
        }
        // Both kinds are listed together: ALL takes the eligible ones of both.
        const { licenses, devices } = view.assets.eligible;
        say(t('core:journey.selectAll', { count: licenses + devices }));
      }
      break;
    case 'justification':
      if (view.company)
        say(
          t('core:journey.company', {
            legalName: view.company.legalName ?? '—',
            address: view.company.address ?? '—',
          }),
        );
      break;
    case 'review': {
      // Every answer again before Submit for Review (a long wizard scrolls its first answers away), as the
      // core lists them for every surface, then what the selection takes in.
      const field = (label: CatalogKey, value: string) =>
        say(`  ${heading(reader.locale, t(label))} ${value}`);
      const { source, destination } = view.state;
      if (source)
        field(
          'common:field.source',
          source.virtualAccount ? `${source.smartAccount}/${source.virtualAccount}` : source.smartAccount,
        );
      if (destination)
        field('common:field.destination', `${destination.smartAccount}/${destination.virtualAccount ?? ''}`);
      for (const answer of reviewAnswers(view)) {
        const value = answer.value;
        field(
          answer.field,
          value.kind === 'text'
            ? value.text
            : value.kind === 'words'
              ? t(value.words.key, value.words.params)
              : value.known
                ? personLabel(reader.locale, value.known)
                : value.email,
        );
      }
      if (view.review) for (const line of selectionLines(reader, view.review)) say(line);
      break;
    }
    case 'terms':
    case 'done':
      break;
    default: {
      const unreachable: never = view.step;
      return unreachable;
    }
  }
}
