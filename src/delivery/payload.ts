import { z } from 'zod';
import type { OutboxPayload } from '../app/ports/outbox.js';
import type { CatalogKey } from '../i18n/index.js';

// A row written by another version of the bot may name a key this one lacks: translate() then shows the
// key itself rather than failing the delivery, so any non-empty text is accepted here.
const msgSchema = z.object({
  key: z.custom<CatalogKey>((value) => typeof value === 'string' && value.length > 0),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/**
 * An outbox payload as read back from the database: a boundary like any other, since rows written by an
 * older or newer version of the bot may not have the shape this one expects.
 */
export const outboxPayloadSchema = z.object({
  type: z.enum(['message', 'card', 'card_refresh', 'file']),
  transferId: z.string().min(1).optional(),
  decision: z.string().optional(),
  text: msgSchema.optional(),
  lines: z.array(msgSchema).optional(),
  file: z.object({ path: z.string().min(1), name: z.string().min(1) }).optional(),
  skip: z.object({ platform: z.string().min(1), location: z.record(z.string(), z.string()) }).optional(),
  onlyFor: z.array(z.number().int()).max(1000).optional(),
  firstCopy: z.boolean().optional(),
  offerKey: z.string().min(1).optional(),
  requester: z.object({ userId: z.number().int(), surface: z.string() }).optional(),
  via: z.string().optional(),
  whileOpen: z.string().optional(),
});

export type ParsedPayload = z.output<typeof outboxPayloadSchema>;

export function parsePayload(
  raw: OutboxPayload,
): { ok: true; payload: ParsedPayload } | { ok: false; error: string } {
  const parsed = outboxPayloadSchema.safeParse(raw);
  if (parsed.success) return { ok: true, payload: parsed.data };
  return {
    ok: false,
    error: `invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
  };
}
