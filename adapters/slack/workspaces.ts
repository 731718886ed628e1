/**
 * A Slack workspace as a request names it: its team id (`T…`), and the Enterprise Grid organisation
 * (`E…`) it belongs to, when it does. Slack names a person of an organisation by the organisation's id
 * alone in some payloads, so either may be missing.
 */
export interface Workspace {
  team?: string | undefined;
  enterprise?: string | undefined;
}

export type WorkspaceRefusal = 'no workspace named' | 'another workspace';

/**
 * The workspaces whose people the bot serves: the one its bot token belongs to (with its organisation,
 * whose sign-in is the same), and those SLACK_WORKSPACES lists.
 */
export function servedWorkspaces(own: Workspace, listed: readonly string[]): string[] {
  const ids = [own.team, own.enterprise, ...listed].filter((id): id is string => Boolean(id));
  return [...new Set(ids)];
}

/**
 * Whether a person may be served, by the workspace they belong to: its team or its organisation must be
 * one the bot serves, and a person of no named workspace is not served. A person of another workspace
 * (a Slack Connect channel, an app installed across an organisation) would otherwise be linked to the
 * inventory by the e-mail their own workspace, under another organisation's control, gives for them.
 */
export function workspaceRefusal(home: Workspace, served: readonly string[]): WorkspaceRefusal | undefined {
  const named = [home.team, home.enterprise].filter((id): id is string => Boolean(id));
  if (named.length === 0) return 'no workspace named';
  return named.some((id) => served.includes(id)) ? undefined : 'another workspace';
}
