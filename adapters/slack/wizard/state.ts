import { z } from 'zod';
import type { JourneyState } from '../../../src/app/journey/journey.js';
import { formatAssetRef, parseAssetRef, type AssetRef } from '../../../src/commands/asset-ref.js';
import type { NewPrefill } from '../../../src/commands/command.js';
import { DEFAULT_VIRTUAL_ACCOUNT } from '../../../src/domain/types.js';

/**
 * What the request wizard has gathered so far, carried from step to step in the modal's
 * private_metadata (Slack keeps it for us, up to 3,000 characters). It is only a draft: every
 * value is checked again by the core when the request is made.
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
});

export type WizardState = z.infer<typeof wizardStateSchema>;

export const METADATA_LIMIT = 3000;

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

export function fitsMetadata(wizard: WizardState): boolean {
  return encodeState(wizard).length <= METADATA_LIMIT;
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

/** The draft as the core's request journey holds it, confirmed by Submit for Review. */
export function toJourney(wizard: WizardState): JourneyState {
  const journey: JourneyState = {
    source: { smartAccount: wizard.from ?? '', ...(wizard.fromVa ? { virtualAccount: wizard.fromVa } : {}) },
    destination: { smartAccount: wizard.to ?? '', virtualAccount: wizard.toVa ?? DEFAULT_VIRTUAL_ACCOUNT },
    sameCompany: wizard.same ?? false,
    assets: { refs: selectedRefs(wizard).map(formatAssetRef), whole: [] },
    reviewed: true,
  };
  // What was given is passed on even when the answer was "same company": the core decides what applies.
  if (wizard.transferee) journey.transferee = wizard.transferee;
  if (wizard.justification) journey.justification = wizard.justification;
  if (wizard.terms) journey.termsAccepted = true;
  if (wizard.legalName) journey.transfereeLegalName = wizard.legalName;
  if (wizard.address) journey.transfereeAddress = wizard.address;
  return journey;
}
