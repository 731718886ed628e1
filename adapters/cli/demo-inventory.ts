import { fileURLToPath } from 'node:url';

/** The inventory shipped for a first start on an empty database, so a newcomer can walk a transfer at once. */
export const DEMO_INVENTORY = fileURLToPath(new URL('../../data/demo-inventory.json', import.meta.url));
