import { parseAssetRef, type AssetRef } from '../../src/commands/asset-ref.js';
import type { Database } from '../../db/client.js';
import { query } from './database.js';

export const SALES_ORDERS = 9;
export const LINES_PER_ORDER = 1000;
export const DEVICES = 1000;
/** Items of the transfer these assets make: every license line and every device. */
export const LARGE_TRANSFER_ITEMS = SALES_ORDERS * LINES_PER_ORDER + DEVICES;

/**
 * 9 sales orders of 1,000 license lines (each with one minor line) and 1,000 devices in one account's
 * Virtual Account, written with plain SQL; returns the references a request names them by.
 */
export async function seedLargeInventory(
  database: Database,
  account: { id: number; defaultVa: number },
): Promise<AssetRef[]> {
  await query(
    database,
    `insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, description, quantity,
                           license_type, minor_lines)
     select ${account.id}, ${account.defaultVa}, (500000000 + o)::text, l::text, 'C9300-DNA-E-24-3Y',
            'DNA Essentials 24-port, 3 years', 10, 'smart',
            jsonb_build_array(jsonb_build_object('line', l || '.1', 'pid', 'C9300-DNA-E-24', 'quantity', 10))
     from generate_series(1, ${SALES_ORDERS}) as o, generate_series(1, ${LINES_PER_ORDER}) as l`,
  );
  await query(
    database,
    `insert into devices (smart_account_id, virtual_account_id, serial_number, pid, registration)
     select ${account.id}, ${account.defaultVa}, 'FDO' || lpad(i::text, 8, '0'), 'C9300-24T',
            (case when i % 10 = 0 then 'cslu' else 'direct' end)::device_registration
     from generate_series(1, ${DEVICES}) as i`,
  );
  await query(database, 'analyze');
  return [
    ...Array.from({ length: SALES_ORDERS }, (_, o) => parseAssetRef(`SO:${500000001 + o}`)!),
    ...Array.from({ length: DEVICES }, (_, i) => parseAssetRef(`SN:FDO${String(i + 1).padStart(8, '0')}`)!),
  ];
}
