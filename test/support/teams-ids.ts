/**
 * The ids a Teams activity carries, in a module of their own: files that only post activities to a bot
 * started as a process need these, not the Teams adapter (and the Bot Framework SDK) that teams.ts loads.
 */
export const COMPLIANCE_CONVERSATION = '19:compliance-team@thread.tacv2';
export const TENANT = 'tenant-1';
export const BOT = { id: '28:transfer-bot', name: 'Asset Transfer Bot' };
