import type { Command } from '../commands/command.js';
import { seesEveryAccount } from '../domain/permissions.js';
import type { Status } from '../domain/status.js';
import type { Actor } from '../domain/types.js';
import { msg, type Msg } from '../i18n/msg.js';
import type { AppDeps } from './deps.js';
import type { Reply } from './dispatch.js';
import { currentSmartAccount, transferPage } from './queries.js';

/** The `list` command: one page of the landing page (see `transferPage`), as every surface draws it. */
export async function list(
  deps: AppDeps,
  actor: Actor,
  { smartAccount, status, before, after }: Extract<Command, { type: 'list' }>,
): Promise<Reply> {
  // Without an account, the landing page shows the current one chosen with `use`.
  const account = smartAccount || (await currentSmartAccount(deps, actor));
  const result = await transferPage(deps, actor, { smartAccount: account, status, before, after });
  if (!result.ok) return { kind: 'refused', refusal: result.refusal };
  return {
    kind: 'transfers',
    rows: result.value.rows,
    ...(account ? { smartAccount: account } : {}),
    ...(status ? { status } : {}),
    ...(result.value.older ? { older: result.value.older } : {}),
    ...(result.value.newer ? { newer: result.value.newer } : {}),
    ...(result.value.rows.length === 0 ? { empty: emptyPage(status, before ?? after) } : {}),
    ...(!account && seesEveryAccount(actor) ? { everyTransaction: true } : {}),
  };
}

/** An empty page: a page away from the first (`before:`/`after:`) says so and how to get back. */
function emptyPage(status: Status | undefined, cursor: string | undefined): Msg {
  if (cursor) return msg('core:list.nonePage');
  return status ? msg('core:list.noneWithStatus', { status }) : msg('core:list.none');
}

/**
 * The commands that open the landing page's neighbouring pages (same account and status), for every
 * surface's Newer / Older buttons: typed in the console, sent by a card, carried by a Slack button.
 */
export function pageCommands(reply: Extract<Reply, { kind: 'transfers' }>): {
  newer?: string;
  older?: string;
} {
  const same = [reply.smartAccount, reply.status && `status:${reply.status}`].filter(Boolean).join(' ');
  const command = (side: 'before' | 'after', id: string) => `list ${same ? `${same} ` : ''}${side}:${id}`;
  return {
    ...(reply.newer ? { newer: command('after', reply.newer) } : {}),
    ...(reply.older ? { older: command('before', reply.older) } : {}),
  };
}
