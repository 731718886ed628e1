import { z } from 'zod';

/**
 * What a wizard modal carries in its private_metadata: the id of the draft the bot keeps the answers
 * in, and how the step is drawn (the asset tab shown, the source's counts shown, the block the request
 * form's transferor select is drawn in). Never the answers.
 */
const metadataSchema = z.object({
  d: z.string().min(1).max(64),
  tab: z.enum(['licenses', 'devices']).default('licenses'),
  counts: z.boolean().optional(),
  transferorAgain: z.boolean().optional(),
});

export type WizardMetadata = z.infer<typeof metadataSchema>;

export function encodeMetadata(metadata: WizardMetadata): string {
  return JSON.stringify({
    d: metadata.d,
    tab: metadata.tab,
    ...(metadata.counts ? { counts: true } : {}),
    ...(metadata.transferorAgain ? { transferorAgain: true } : {}),
  });
}

export function decodeMetadata(raw: string | undefined): WizardMetadata | undefined {
  if (!raw || raw.length > 500) return undefined;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
