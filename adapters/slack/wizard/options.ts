import { searchVirtualAccounts } from '../../../src/app/journey/choices.js';
import type { AccountChoice, JourneyState, StepName } from '../../../src/app/journey/journey.js';
import { journeyScope, viewJourney } from '../../../src/app/journey/service.js';
import { assetFacts } from '../../../src/app/asset-rows.js';
import { virtualAccountLabel } from '../../../src/app/queries.js';
import { formatQuantity, tr } from '../../../src/i18n/index.js';
import { who, type SlackContext, type SlackWho } from '../context.js';
import { guarded } from '../handlers/guard.js';
import { ACTION } from '../ids.js';
import { suggestionSchema } from '../payloads.js';
import { fittedAccountLabel, option, OPTION_TEXT_MAX, plain, type PlainOption } from '../render/blocks.js';
import { assetsFor } from './data.js';
import { loadWizard } from './draft.js';
import type { SlackRoutes } from '../routes.js';

type Suggestion = ReturnType<typeof suggestionSchema.parse>;

/** Slack shows at most a hundred options in a typeahead. */
const OPTIONS_MAX = 100;

/**
 * The typeaheads: everything that can be large is searched on the server, for this user only. The
 * accounts and people offered are those the core's journey offers at that step.
 */
export function registerWizardOptions(app: SlackRoutes, ctx: SlackContext): void {
  const serve = (actionId: string, load: (p: Suggestion, person: SlackWho) => Promise<PlainOption[]>) => {
    // A failure answers an empty list (better than Slack's generic error in the middle of a form); the cause is logged.
    app.options<'block_suggestion'>(
      actionId,
      guarded(ctx, async ({ ack, body }) => {
        const p = suggestionSchema.parse(body);
        const person = await who(ctx, p.user.id);
        if (!person.ok) {
          await ack({ options: [] });
          return;
        }
        const options = await load(p, person.value);
        if (options.length <= OPTIONS_MAX) {
          await ack({ options });
          return;
        }
        // Past Slack's hundred, the list says it is cut, in a group label nobody can pick.
        const more = tr(person.value.reader, {
          key: 'slack:wizard.moreOptions',
          params: { shown: OPTIONS_MAX },
        });
        await ack({
          option_groups: [{ label: plain(more, OPTION_TEXT_MAX), options: options.slice(0, OPTIONS_MAX) }],
        });
      }),
    );
  };
  const stateOf = async (p: Suggestion, person: SlackWho): Promise<JourneyState> =>
    (await loadWizard(ctx, person.actor, p.view?.private_metadata))?.draft.state ?? {};
  const viewAt = async (p: Suggestion, person: SlackWho, step: StepName) =>
    viewJourney(
      // What is typed in an account field finds accounts past the first ones offered.
      journeyScope(ctx.deps, person.actor, step === 'transferee' ? {} : { search: p.value }),
      await stateOf(p, person),
      undefined,
      step,
    );
  const counts = (person: SlackWho, c: { licenses: number; devices: number }) =>
    tr(person.reader, { key: 'common:summary.assetCounts', params: c });

  // A Virtual Account's option leads with its name: Slack cuts an option's text at 75 characters, and
  // an account's Virtual Accounts differ only there.
  const vaOption = (person: SlackWho, a: AccountChoice, va: AccountChoice['virtualAccounts'][number]) => {
    const lead = `${virtualAccountLabel(person.reader.locale, va)} · `;
    return option(
      `${lead}${fittedAccountLabel(person.reader.locale, a, OPTION_TEXT_MAX - lead.length)}`,
      `${a.domain}/${va.name}`,
      counts(person, va),
    );
  };

  // The source: a whole Smart Account, or one of its Virtual Accounts when it has several; found by the
  // account's name or domain, a Virtual Account's name, or `SA/VA`.
  serve(ACTION.wizardSource, async (p, person) => {
    const view = await viewAt(p, person, 'source');
    const offered: PlainOption[] = [];
    const whole = new Set<string>();
    for (const { account: a, virtualAccount: va, accountMatched } of searchVirtualAccounts(
      view.accounts ?? [],
      p.value,
    )) {
      if ((accountMatched || a.virtualAccounts.length < 2) && !whole.has(a.domain)) {
        whole.add(a.domain);
        const total = a.virtualAccounts.reduce(
          (sum, v) => ({ licenses: sum.licenses + v.licenses, devices: sum.devices + v.devices }),
          { licenses: 0, devices: 0 },
        );
        offered.push(option(fittedAccountLabel(person.reader.locale, a), a.domain, counts(person, total)));
      }
      if (a.virtualAccounts.length >= 2) offered.push(vaOption(person, a, va));
    }
    return offered;
  });

  // The destination: a Virtual Account of another Smart Account; the source, when known, is left out.
  serve(ACTION.wizardDestination, async (p, person) => {
    const view = await viewAt(p, person, 'destination');
    const others = (view.accounts ?? []).filter((a) => !a.isSource);
    return searchVirtualAccounts(others, p.value).map((m) => vaOption(person, m.account, m.virtualAccount));
  });

  serve(ACTION.wizardTransferee, async (p, person) => {
    const view = await viewAt(p, person, 'transferee');
    const q = p.value.trim().toLowerCase();
    return (view.people ?? [])
      .filter((u) => !q || u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q))
      .map((u) => option(u.name, u.email, u.email));
  });

  for (const [actionId, tab] of [
    [ACTION.wizardLicenses, 'licenses'],
    [ACTION.wizardDevices, 'devices'],
  ] as const) {
    serve(actionId, async (p, person) => {
      const state = await stateOf(p, person);
      const list = await assetsFor(ctx, person.actor, state.source, tab, p.value, 100);
      // Ineligible assets are never offered: the listing under the field shows them with their reason.
      return (list?.rows ?? [])
        .filter((row) => row.eligibility.eligible)
        .map((row) => {
          const qty = row.kind === 'license' ? ` ${formatQuantity(row.quantity, person.reader.locale)}` : '';
          const minorLines =
            row.kind === 'license' && row.minorLines.length > 0
              ? tr(person.reader, {
                  key: 'slack:assets.minorLines',
                  params: { count: row.minorLines.length },
                })
              : null;
          // Slack cuts a description at 75 characters: how many minor lines come along goes first.
          const facts = [minorLines, ...assetFacts(person.reader.locale, row)];
          const warnings = row.eligibility.eligible && row.eligibility.warnings.length > 0 ? ' ⚠' : '';
          return option(
            `${row.ref} · ${row.pid}${qty}`,
            row.ref,
            `${facts.filter(Boolean).join(' · ')}${warnings}`,
          );
        });
    });
  }
}
