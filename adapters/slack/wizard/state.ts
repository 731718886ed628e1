import { z } from 'zod';
import type { JourneyState } from '../../../src/app/journey/journey.js';
import { formatAssetRef, parseAssetRef, type AssetRef } from '../../../src/commands/asset-ref.js';
import type { NewPrefill } from '../../../src/commands/command.js';
import { DEFAULT_VIRTUAL_ACCOUNT } from '../../../src/domain/types.js';

/**
 * What the request wizard has gathered so far, as the modal's steps read it. The answers live in a draft
 * the bot keeps (the core's journey state); the modal's private_metadata carries only the draft's id and
 * how the step is drawn. Every value is checked again by the core when the request is made.
 */
export const wizardStateSchema = z.object({
  from: z.string().optional(),
  fromVa: z.string().optional(),
  to: z.string().optional(),
  toVa: z.string().optional(),
  same: z.boolean().optional(),
  transferee: z.string().optional(),
  justification: z.string().optional(),
  legalName: z.string().optional(),
  address: z.string().optional(),
  terms: z.boolean().optional(),
  /** Selected license lines (`SO:…-…`) and devices (`SN:…`). */
  lic: z.array(z.string()).default([]),
  dev: z.array(z.string()).default([]),
  /** References typed on the one-line `new` that name several assets at once (`SO:…`, `SUB:…`, `PAK:…`, `WO:…`). */
  other: z.array(z.string()).default([]),
  tab: z.enum(['licenses', 'devices']).default('licenses'),
  counts: z.boolean().optional(),
  search: z.string().optional(),
  /** The draft the bot keeps the answers in; the modal carries only this id and how it is drawn. */
  draft: z.string().optional(),
});

export type WizardState = z.infer<typeof wizardStateSchema>;

export function emptyState(): WizardState {
  return { lic: [], dev: [], other: [], tab: 'licenses' };
}

/** The wizard prefilled from what a one-line `new` already gave. */
export function fromPrefill(prefill: NewPrefill): WizardState {
  const wizard = emptyState();
  if (prefill.source) {
    wizard.from = prefill.source.smartAccount;
    if (prefill.source.virtualAccount) wizard.fromVa = prefill.source.virtualAccount;
  }
  if (prefill.destination) {
    wizard.to = prefill.destination.smartAccount;
    if (prefill.destination.virtualAccount) wizard.toVa = prefill.destination.virtualAccount;
  }
  if (prefill.sameCompany !== undefined) wizard.same = prefill.sameCompany;
  if (prefill.transferee) wizard.transferee = prefill.transferee;
  if (prefill.justification) wizard.justification = prefill.justification;
  if (prefill.termsAccepted) wizard.terms = true;
  for (const ref of prefill.assets ?? []) {
    const text = formatAssetRef(ref);
    if (ref.kind === 'so' && ref.line !== undefined) wizard.lic.push(text);
    else if (ref.kind === 'sn') wizard.dev.push(text);
    else wizard.other.push(text);
  }
  if (wizard.lic.length === 0 && wizard.dev.length > 0) wizard.tab = 'devices';
  return wizard;
}

export function encodeState(wizard: WizardState): string {
  return JSON.stringify(wizard);
}

/** What a modal carries: the draft's id and how the step is drawn, never the answers. */
const metadataSchema = z.object({
  d: z.string(),
  tab: z.enum(['licenses', 'devices']).default('licenses'),
  counts: z.boolean().optional(),
});

export type WizardMetadata = z.infer<typeof metadataSchema>;

export function encodeMetadata(wizard: WizardState): string {
  return JSON.stringify({
    d: wizard.draft ?? '',
    tab: wizard.tab,
    ...(wizard.counts ? { counts: true } : {}),
  });
}

export function decodeMetadata(raw: string | undefined): WizardMetadata | undefined {
  if (!raw) return undefined;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function decodeState(raw: string | undefined): WizardState | undefined {
  if (!raw) return undefined;
  try {
    const parsed = wizardStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Every reference the draft names, once, in the order picked. */
export function selectedRefs(wizard: WizardState): AssetRef[] {
  const seen = new Set<string>();
  const out: AssetRef[] = [];
  for (const text of [...wizard.lic, ...wizard.dev, ...wizard.other]) {
    const ref = parseAssetRef(text);
    if (!ref) continue;
    const key = formatAssetRef(ref).toUpperCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(ref);
    }
  }
  return out;
}

/** The answers as the core's request journey holds them (what the draft keeps). */
export function toJourney(wizard: WizardState): JourneyState {
  const journey: JourneyState = {};
  if (wizard.from)
    journey.source = {
      smartAccount: wizard.from,
      ...(wizard.fromVa ? { virtualAccount: wizard.fromVa } : {}),
    };
  if (wizard.to)
    journey.destination = { smartAccount: wizard.to, virtualAccount: wizard.toVa ?? DEFAULT_VIRTUAL_ACCOUNT };
  if (wizard.same !== undefined) journey.sameCompany = wizard.same;
  const refs = selectedRefs(wizard).map(formatAssetRef);
  if (refs.length > 0) journey.assets = { refs, whole: [] };
  if (wizard.search) journey.assetQuery = wizard.search;
  // What was given is passed on even when the answer was "same company": the core decides what applies.
  if (wizard.transferee) journey.transferee = wizard.transferee;
  if (wizard.justification) journey.justification = wizard.justification;
  if (wizard.terms) journey.termsAccepted = true;
  if (wizard.legalName) journey.transfereeLegalName = wizard.legalName;
  if (wizard.address) journey.transfereeAddress = wizard.address;
  return journey;
}

/** The draft's answers as the modal's steps read them, drawn as the metadata says. */
export function fromJourney(journey: JourneyState, metadata: WizardMetadata): WizardState {
  const wizard = fromPrefill({
    ...(journey.source ? { source: journey.source } : {}),
    ...(journey.destination ? { destination: journey.destination } : {}),
    ...(journey.sameCompany !== undefined ? { sameCompany: journey.sameCompany } : {}),
    ...(journey.transferee ? { transferee: journey.transferee } : {}),
    ...(journey.justification ? { justification: journey.justification } : {}),
    ...(journey.termsAccepted ? { termsAccepted: true } : {}),
    assets: (journey.assets?.refs ?? []).flatMap((text) => {
      const ref = parseAssetRef(text);
      return ref ? [ref] : [];
    }),
  });
  if (journey.transfereeLegalName) wizard.legalName = journey.transfereeLegalName;
  if (journey.transfereeAddress) wizard.address = journey.transfereeAddress;
  if (journey.assetQuery) wizard.search = journey.assetQuery;
  wizard.tab = metadata.tab;
  if (metadata.counts) wizard.counts = true;
  wizard.draft = metadata.d;
  return wizard;
}
