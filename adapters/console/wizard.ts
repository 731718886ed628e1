import type { AppDeps } from '../../src/app/deps.js';
import { request, type Reply } from '../../src/app/dispatch.js';
import { listAccounts, listAssets } from '../../src/app/queries.js';
import { transfereeCandidates, transfereeCompany } from '../../src/app/request-form.js';
import type { RequestInput } from '../../src/app/request.js';
import { formatAssetRef, parseAssetRef, type AssetRef } from '../../src/commands/asset-ref.js';
import type { NewPrefill } from '../../src/commands/command.js';
import { DEFAULT_VIRTUAL_ACCOUNT, type Actor } from '../../src/domain/types.js';
import { heading, translate, type Reader } from '../../src/i18n/index.js';
import { assetLine } from './render.js';

/** Reads one answer; undefined at the end of input (the wizard then stops without creating anything). */
export type Ask = (question: string) => Promise<string | undefined>;

class Abandoned extends Error {}

/**
 * The request wizard as prompts: source, destination, the same-company question, the
 * request form when another legal entity receives, then the assets. Whatever `new …` already gave is
 * not asked again. Nothing is created until the last answer; the core checks everything once more.
 */
export async function runWizard(
  deps: AppDeps,
  actor: Actor,
  reader: Reader,
  prefill: NewPrefill,
  ask: Ask,
  say: (text: string) => void,
): Promise<Reply | null> {
  const t = (key: string, params?: Record<string, string | number>) => translate(reader.locale, key, params);
  const need = async (question: string, fallback?: string): Promise<string> => {
    const answer = await ask(fallback ? `${question} [${fallback}] ` : `${question} `);
    if (answer === undefined || answer.trim() === '.') throw new Abandoned();
    return answer.trim() || fallback || '';
  };
  const choose = async (question: string, options: string[], fallback?: string): Promise<string> => {
    options.forEach((o, i) => say(`  [${i + 1}] ${o}`));
    for (;;) {
      const answer = await need(question, fallback);
      const n = Number(answer);
      if (Number.isInteger(n) && n >= 1 && n <= options.length) return options[n - 1]!;
      const named = options.find((o) => o.toLowerCase() === answer.toLowerCase());
      if (named) return named;
      say(t('console:wizard.choose', { max: options.length }));
    }
  };
  const yesNo = async (question: string, fallback?: boolean): Promise<boolean> => {
    for (;;) {
      const answer = (
        await need(
          t('console:wizard.yesNo', { question }),
          fallback === undefined ? undefined : fallback ? 'y' : 'n',
        )
      ).toLowerCase();
      if (['y', 'yes', 'o', 'oui', 'はい'].includes(answer)) return true;
      if (['n', 'no', 'non', 'いいえ'].includes(answer)) return false;
    }
  };

  try {
    say(t('console:wizard.intro'));
    const mine = await listAccounts(deps, actor);
    const label = (a: { name: string; domain: string }) => a.domain;
    for (const a of mine)
      say(
        `  ${a.name} (${a.domain}) — ${t('common:summary.assetCounts', { licenses: a.licenses, devices: a.devices })}`,
      );
    const sourceDomain =
      prefill.source?.smartAccount ?? (await choose(t('common:field.sourceSmartAccount'), mine.map(label)));
    const source = mine.find((a) => a.domain.toLowerCase() === sourceDomain.toLowerCase());
    let sourceVa = prefill.source?.virtualAccount;
    if (!prefill.source && source && source.virtualAccounts.length > 1) {
      const all = t('console:wizard.allVirtualAccounts');
      const picked = await choose(
        t('common:field.sourceVirtualAccount'),
        [all, ...source.virtualAccounts.map((v) => v.name)],
        all,
      );
      sourceVa = picked === all ? undefined : picked;
    }
    const destinationDomain =
      prefill.destination?.smartAccount ??
      (await choose(
        t('common:field.destinationSmartAccount'),
        mine.map(label).filter((d) => d !== source?.domain),
      ));
    const destinationVas =
      mine.find((a) => a.domain.toLowerCase() === destinationDomain.toLowerCase())?.virtualAccounts ?? [];
    const destinationVa =
      prefill.destination?.virtualAccount ??
      (destinationVas.length > 1
        ? await choose(
            t('common:field.destinationVirtualAccount'),
            destinationVas.map((v) => v.name),
            DEFAULT_VIRTUAL_ACCOUNT,
          )
        : DEFAULT_VIRTUAL_ACCOUNT);
    say(t('common:question.sameCompanyHint'));
    const sameCompany = prefill.sameCompany ?? (await yesNo(t('common:question.sameCompany')));

    const input: RequestInput = {
      source: sourceVa
        ? { smartAccount: sourceDomain, virtualAccount: sourceVa }
        : { smartAccount: sourceDomain },
      destination: { smartAccount: destinationDomain, virtualAccount: destinationVa },
      assets: [],
      sameCompany,
    };
    if (!sameCompany) {
      const candidates = (await transfereeCandidates(deps, actor, destinationDomain)).map((a) => a.email);
      const company = await transfereeCompany(deps, destinationDomain);
      input.transferee = prefill.transferee ?? (await choose(t('common:field.transferee'), candidates));
      input.justification = prefill.justification ?? (await need(t('common:field.businessJustification')));
      input.transfereeLegalName = await need(
        t('common:field.transfereeLegalName'),
        company.legalName ?? undefined,
      );
      input.transfereeAddress = await need(t('common:field.address'), company.address ?? undefined);
      input.termsAccepted = prefill.termsAccepted ?? (await yesNo(t('common:question.acceptTerms')));
    }
    input.assets = prefill.assets ?? (await pickAssets(deps, actor, reader, input, need, say));
    return await request(deps, actor, input);
  } catch (err) {
    if (err instanceof Abandoned) {
      say(t('console:wizard.abandoned'));
      return null;
    }
    throw err;
  }
}

/** Shows what can move (and what cannot, with the reason) and reads references, or `?TEXT` to search. */
async function pickAssets(
  deps: AppDeps,
  actor: Actor,
  reader: Reader,
  input: RequestInput,
  need: (q: string) => Promise<string>,
  say: (text: string) => void,
): Promise<AssetRef[]> {
  const t = (key: string) => translate(reader.locale, key);
  let query: string | undefined;
  for (;;) {
    for (const tab of ['licenses', 'devices'] as const) {
      const list = await listAssets(deps, actor, input.source, tab, query, 15);
      if (!list.ok) return [];
      say(heading(reader.locale, t(`common:field.${tab}`)));
      for (const row of list.value.rows) say(assetLine(reader, row));
    }
    const answer = await need(t('console:wizard.assets'));
    if (answer.startsWith('?')) {
      query = answer.slice(1).trim() || undefined;
      continue;
    }
    const refs = answer
      .split(/[\s,、]+/)
      .filter(Boolean)
      .map((word) => ({ word, ref: parseAssetRef(word) }));
    const bad = refs.filter((r) => !r.ref).map((r) => r.word);
    if (bad.length > 0 || refs.length === 0) {
      say(translate(reader.locale, 'console:wizard.badRefs', { refs: bad.join(', ') || '—' }));
      continue;
    }
    return refs
      .map((r) => r.ref!)
      .filter((r, i, all) => all.findIndex((o) => formatAssetRef(o) === formatAssetRef(r)) === i);
  }
}
