import { z } from 'zod';

/**
 * The parts of Slack's payloads the adapter reads, checked at the boundary. Anything else Slack sends
 * is ignored; anything missing that we need fails here, not deep inside a handler.
 */
const optionValue = z.object({
  value: z.string(),
  text: z.object({ text: z.string() }).partial().optional(),
});

export const stateValueSchema = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: optionValue.nullish(),
    selected_options: z.array(optionValue).nullish(),
  })
  .passthrough();

export type StateValue = z.infer<typeof stateValueSchema>;

export const viewSchema = z.object({
  id: z.string(),
  hash: z.string().optional(),
  type: z.string(),
  callback_id: z.string().optional(),
  private_metadata: z.string().optional(),
  state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }).optional(),
});

export type ViewPayload = z.infer<typeof viewSchema>;

const user = z.object({ id: z.string().min(1) });

export const slashSchema = z.object({
  user_id: z.string().min(1),
  text: z.string().default(''),
  trigger_id: z.string().min(1),
  response_url: z.string().url(),
  channel_id: z.string().optional(),
});

export const actionSchema = z.object({
  action_id: z.string(),
  block_id: z.string().optional(),
  type: z.string().optional(),
  value: z.string().optional(),
  selected_option: optionValue.nullish(),
});

export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user,
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  container: z
    .object({
      type: z.string(),
      channel_id: z.string().optional(),
      message_ts: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
      view_id: z.string().optional(),
    })
    .optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string() }).optional(),
  view: viewSchema.optional(),
  actions: z.array(actionSchema).min(1),
});

export type BlockActions = z.infer<typeof blockActionsSchema>;

export const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  user,
  trigger_id: z.string().optional(),
  view: viewSchema,
});

export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

export const suggestionSchema = z.object({
  type: z.literal('block_suggestion'),
  user,
  action_id: z.string(),
  block_id: z.string().optional(),
  value: z.string().default(''),
  view: viewSchema.optional(),
});

export const shortcutSchema = z.object({ user: user, trigger_id: z.string().min(1) });

export const homeOpenedSchema = z.object({
  type: z.literal('app_home_opened'),
  user: z.string().min(1),
  tab: z.string().optional(),
});

export const imMessageSchema = z.object({
  type: z.literal('message'),
  channel: z.string(),
  channel_type: z.literal('im'),
  user: z.string().min(1),
  text: z.string().default(''),
  subtype: z.undefined().optional(),
  bot_id: z.undefined().optional(),
  // A message carrying files is a file of references (handlers/reference-file.ts).
  files: z.undefined().optional(),
});

/** A value from a view's state: `values[block][action]`. */
export function stateOf(
  view: ViewPayload | undefined,
  block: string,
  action: string,
): StateValue | undefined {
  return view?.state?.values[block]?.[action];
}
