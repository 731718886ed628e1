import type { Config } from '../../src/config.js';
import type { Check } from './doctor.js';

/**
 * `transfer-bot doctor`'s Teams checks: the mode (authenticated or not), the tenants served, the bot's
 * token, the compliance conversation.
 */
export async function teamsChecks(config: Config, teamsServiceUrl: string | undefined): Promise<Check[]> {
  if (!config.teamsEnabled) {
    return [{ id: 'teams.mode', status: 'skip', detail: 'not configured (MICROSOFT_APP_ID unset)' }];
  }
  const checks: Check[] = [];
  if (!config.MICROSOFT_APP_ID) {
    checks.push({
      id: 'teams.mode',
      status: 'warn',
      detail:
        'RUNNING WITHOUT AUTHENTICATION (TEAMS_ALLOW_UNAUTHENTICATED=true): no token is checked, anyone who reaches /api/messages can act as anyone',
      fix: 'local testing only; for real use set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD and remove TEAMS_ALLOW_UNAUTHENTICATED',
    });
  } else {
    const { MULTI_TENANT_WARNING, servedTenants } = await import('../teams/cloud.js');
    const tenants = servedTenants(config);
    if (config.MICROSOFT_APP_TYPE !== 'UserAssignedMSI')
      checks.push(
        tenants.length > 0
          ? {
              id: 'teams.tenants',
              status: 'pass',
              detail: `serves tenant${tenants.length > 1 ? 's' : ''} ${tenants.join(', ')} only`,
            }
          : {
              id: 'teams.tenants',
              status: 'warn',
              detail: MULTI_TENANT_WARNING,
              fix: 'list the Microsoft Entra tenant IDs of your companies and partners in TEAMS_TENANTS (comma-separated)',
            },
      );
    const { checkTeamsCredentials } = await import('../teams/check-credentials.js');
    const result = await checkTeamsCredentials(config);
    checks.push(
      result.ok
        ? { id: 'teams.token', status: 'pass', detail: result.detail }
        : {
            id: 'teams.token',
            status: 'fail',
            detail: result.detail,
            fix: 'check MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (a client secret of that app registration, not its ID), and MICROSOFT_APP_TYPE / MICROSOFT_APP_TENANT_ID for a single-tenant app',
          },
    );
  }
  const conversation = config.TEAMS_COMPLIANCE_CONVERSATION_ID;
  if (!conversation) {
    checks.push({
      id: 'teams.compliance',
      status: 'pass',
      detail:
        'TEAMS_COMPLIANCE_CONVERSATION_ID not set: compliance cards go to each compliance officer directly',
    });
  } else if (teamsServiceUrl) {
    checks.push({
      id: 'teams.compliance',
      status: 'pass',
      detail: `${conversation} is reached through ${teamsServiceUrl} (the service URL learnt from Teams traffic)`,
    });
  } else {
    checks.push({
      id: 'teams.compliance',
      status: 'fail',
      detail: `${conversation} cannot be reached yet: nobody has written to the bot, so no Teams service URL is known`,
      fix: 'message the bot once in Teams (or add it to the compliance team): the bot logs the conversation ID it was added to',
    });
  }
  return checks;
}
