// The database schema, read by drizzle-kit (drizzle.config.ts) and by every repository: the inventory
// (accounts, people, assets) and the transfer workflow (transfers, items, consents, history, outbox).
export * from './schema/inventory.js';
export * from './schema/workflow.js';
