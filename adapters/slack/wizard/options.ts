import { listAccounts } from '../../../src/app/queries.js';
import { tr } from '../../../src/i18n/index.js';
import { who, type SlackContext, type SlackWho } from '../context.js';
import { guarded } from '../handlers/guard.js';
import { ACTION } from '../ids.js';
import { suggestionSchema } from '../payloads.js';
import { option, type PlainOption } from '../render/blocks.js';
import { assetsFor, transfereeOptions } from './data.js';
import { loadWizard } from './draft.js';
import { emptyState } from './state.js';
import type { SlackRoutes } from '../routes.js';

/** The typeaheads: everything that can be large is searched on the server, for this user only. */
export function registerWizardOptions(app: SlackRoutes, ctx: SlackContext): void {
  const serve = (
    actionId: string,
    load: (p: ReturnType<typeof suggestionSchema.parse>, person: SlackWho) => Promise<PlainOption[]>,
  ) => {
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
        await ack({ options: options.slice(0, 100) });
      }),
    );
  };

  const accounts = async (p: { value: string }, person: SlackWho) => {
    const found = await listAccounts(ctx.deps, person.actor, p.value.trim() || undefined, { limit: 100 });
    return found.map((a) =>
      option(
        `${a.name} (${a.domain})`,
        a.domain,
        tr(person.reader, {
          key: 'common:summary.assetCounts',
          params: { licenses: a.licenses, devices: a.devices },
        }),
      ),
    );
  };
  serve(ACTION.wizardSource, accounts);
  serve(ACTION.wizardDestination, accounts);

  serve(ACTION.wizardTransferee, async (p, person) => {
    const wizard = (await loadWizard(ctx, person.actor, p.view?.private_metadata))?.wizard ?? emptyState();
    const people = await transfereeOptions(ctx, person.actor, wizard.to, p.value);
    return people.map((u) => option(u.name, u.email, u.email));
  });

  for (const [actionId, tab] of [
    [ACTION.wizardLicenses, 'licenses'],
    [ACTION.wizardDevices, 'devices'],
  ] as const) {
    serve(actionId, async (p, person) => {
      const wizard = (await loadWizard(ctx, person.actor, p.view?.private_metadata))?.wizard ?? emptyState();
      const list = await assetsFor(ctx, person.actor, wizard, tab, p.value, 100);
      // Ineligible assets are never offered: the listing under the field shows them with their reason.
      return (list?.rows ?? [])
        .filter((row) => row.eligibility.eligible)
        .map((row) => {
          const qty = row.kind === 'license' ? ` ×${row.quantity}` : '';
          const facts =
            row.kind === 'license'
              ? [
                  row.licenseType,
                  row.minorLines.length
                    ? tr(person.reader, {
                        key: 'slack:assets.minorLines',
                        params: { count: row.minorLines.length },
                      })
                    : null,
                  row.webOrder,
                  row.subscriptionId,
                ]
              : [
                  row.licenseType,
                  row.pnpStatus && `PnP ${row.pnpStatus}`,
                  row.salesOrder && `SO ${row.salesOrder}`,
                ];
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
