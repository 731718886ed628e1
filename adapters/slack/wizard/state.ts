import { z } from 'zod';
import type { RequestInput } from '../../../src/app/request.js';
import { formatAssetRef, parseAssetRef, type AssetRef } from '../../../src/commands/asset-ref.js';
import type { NewPrefill } from '../../../src/commands/command.js';

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
export function fromPrefill(p: NewPrefill): WizardState {
  const s = emptyState();
  if (p.source) {
    s.from = p.source.smartAccount;
    if (p.source.virtualAccount) s.fromVa = p.source.virtualAccount;
  }
  if (p.destination) {
    s.to = p.destination.smartAccount;
    if (p.destination.virtualAccount) s.toVa = p.destination.virtualAccount;
  }
  if (p.sameCompany !== undefined) s.same = p.sameCompany;
  if (p.transferee) s.transferee = p.transferee;
  if (p.justification) s.justification = p.justification;
  if (p.termsAccepted) s.terms = true;
  for (const ref of p.assets ?? []) {
    const text = formatAssetRef(ref);
    if (ref.kind === 'so' && ref.line !== undefined) s.lic.push(text);
    else if (ref.kind === 'sn') s.dev.push(text);
    else s.other.push(text);
  }
  if (s.lic.length === 0 && s.dev.length > 0) s.tab = 'devices';
  return s;
}

export function encodeState(s: WizardState): string {
  return JSON.stringify(s);
}

export function fitsMetadata(s: WizardState): boolean {
  return encodeState(s).length <= METADATA_LIMIT;
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
export function selectedRefs(s: WizardState): AssetRef[] {
  const seen = new Set<string>();
  const out: AssetRef[] = [];
  for (const text of [...s.lic, ...s.dev, ...s.other]) {
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

/** The draft as the request the core validates. */
export function toRequestInput(s: WizardState): RequestInput {
  return {
    source: { smartAccount: s.from ?? '', ...(s.fromVa ? { virtualAccount: s.fromVa } : {}) },
    destination: { smartAccount: s.to ?? '', virtualAccount: s.toVa ?? 'DEFAULT' },
    assets: selectedRefs(s),
    sameCompany: s.same ?? false,
    transferee: s.same ? undefined : s.transferee,
    justification: s.same ? undefined : s.justification,
    termsAccepted: s.same ? undefined : s.terms,
    transfereeLegalName: s.same ? undefined : s.legalName,
    transfereeAddress: s.same ? undefined : s.address,
  };
}
