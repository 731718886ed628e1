import type { Database } from '../db/client.js';
import { query } from './support/database.js';

export const TYPEAHEAD_DOMAIN = 'bulk.example';
export const TYPEAHEAD_ADMIN = 'bulk-admin@bulk.example';

/** Product IDs and what they are, in the shapes a real inventory holds. */
export const LICENSE_PIDS: [string, string][] = [
  ['C9300-DNA-E-24-3Y', 'DNA Essentials 24-port, 3 years'],
  ['C9300-DNA-A-24-3Y', 'DNA Advantage 24-port, 3 years'],
  ['C9300-DNA-E-48-5Y', 'DNA Essentials 48-port, 5 years'],
  ['C9300-DNA-A-48-5Y', 'DNA Advantage 48-port, 5 years'],
  ['C9200-DNA-E-24-3Y', 'DNA Essentials for Catalyst 9200, 3 years'],
  ['C9500-DNA-P-7Y', 'DNA Premier for Catalyst 9500, 7 years'],
  ['AIR-DNA-E-5Y', 'DNA Essentials for wireless access points, 5 years'],
  ['AIR-DNA-A-3Y', 'DNA Advantage for wireless access points, 3 years'],
  ['ISR4K-SEC-K9', 'Security bundle for ISR 4000'],
  ['ISR4K-UC-K9', 'Unified communications bundle for ISR 4000'],
  ['C8000-HSEC-K9', 'High security licence for Catalyst 8000 edge'],
  ['SDWAN-DNA-E-T1', 'SD-WAN Essentials tier 1 throughput'],
  ['SDWAN-DNA-A-T2', 'SD-WAN Advantage tier 2 throughput'],
  ['ASA5516-TAMC', 'Threat defense with malware protection and URL filtering'],
  ['FPR1120-TMC-1Y', 'Firepower threat, malware and URL subscription, 1 year'],
  ['ISE-PLS-S-100', 'Identity Services Engine Plus, 100 endpoints'],
  ['ISE-ADV-S-500', 'Identity Services Engine Advantage, 500 endpoints'],
  ['UCM-CUWL-STD', 'Unified Workspace Licensing standard'],
  ['WEBEX-MTG-25', 'Webex meetings named host, 25 seats'],
  ['N9K-LAN1K9', 'LAN Enterprise licence for Nexus 9000'],
  ['NDFC-ESS-10G', 'Nexus Dashboard Fabric Controller Essentials 10G'],
  ['THOUSANDEYES-ENT', 'ThousandEyes enterprise agent units'],
  ['DUO-ADV-USER', 'Duo Advantage per user'],
  ['UMBRELLA-DNS-ESS', 'Umbrella DNS Essentials'],
];

export const DEVICE_PIDS = [
  'C9300-24T',
  'C9300-48P',
  'C9200L-24P-4G',
  'C9500-32C',
  'C9120AXI-E',
  'C9130AXE-B',
  'ISR4331/K9',
  'ISR4451-X/K9',
  'C8300-1N1S-6T',
  'FPR1120-NGFW-K9',
  'N9K-C93180YC-FX',
  'IE-3300-8T2S',
];

const SERIAL_PREFIXES = ['FOC', 'FDO', 'JAE', 'FCW', 'FJC'];

const sqlText = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

/**
 * One Smart Account holding `licenses + devices` assets, written by the database itself
 * (`INSERT … SELECT generate_series`): a million rows in seconds, not a million round trips.
 * Identifiers are spread with a multiplicative hash so prefixes are not clustered by insertion order.
 */
export async function seedBulkAccount(
  database: Database,
  counts: { licenses: number; devices: number },
): Promise<{ smartAccountId: number }> {
  const run = (text: string) => query(database, text);
  await run(
    `insert into legal_entities (id, name, country, address) values ('bulk', 'Bulk Networks SAS', 'FR', '1 quai du Rhône, Lyon')`,
  );
  const [sa] = await query<{ id: number }>(
    database,
    `insert into smart_accounts (domain, name, legal_entity_id) values ('${TYPEAHEAD_DOMAIN}', 'Bulk Networks', 'bulk') returning id`,
  );
  const saId = sa!.id;
  const [va] = await query<{ id: number }>(
    database,
    `insert into virtual_accounts (smart_account_id, name) values (${saId}, 'DEFAULT') returning id`,
  );
  const [lab] = await query<{ id: number }>(
    database,
    `insert into virtual_accounts (smart_account_id, name, on_prem) values (${saId}, 'Lab', true) returning id`,
  );
  const [user] = await query<{ id: number }>(
    database,
    `insert into users (email, name, locale, legal_entity_id) values ('${TYPEAHEAD_ADMIN}', 'Bulk Admin', 'en', 'bulk') returning id`,
  );
  await run(
    `insert into role_grants (user_id, smart_account_id, role) values (${user!.id}, ${saId}, 'admin')`,
  );

  // A bulk load the way a database administrator does one: the search indexes are dropped, the rows
  // written, and the indexes built again from their own definitions (building is far cheaper than
  // maintaining them row by row). The unique indexes stay, guarding the data as in production.
  const searchIndexes = await query<{ indexname: string; indexdef: string }>(
    database,
    `select indexname, indexdef from pg_indexes
     where schemaname = current_schema() and tablename in ('licenses', 'devices') and indexdef not like 'CREATE UNIQUE%'`,
  );
  for (const ix of searchIndexes) await run(`drop index "${ix.indexname}"`);

  const pids = sqlText(LICENSE_PIDS.map((p) => p[0]));
  const descriptions = sqlText(LICENSE_PIDS.map((p) => p[1]));
  const n = LICENSE_PIDS.length;
  // 9-digit sales orders, four major lines each; 2654435761 is prime, so the spread is a bijection.
  await run(`
    insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, description, quantity, license_type,
                          web_order, subscription_id, pak, purchase_model, pending_upgrade, in_use, reserved, minor_lines)
    select ${saId}, ${va!.id}, so, ln, (${pids})[k], (${descriptions})[k], q,
           (array['smart','classic','subscription']::license_type[])[(1 + i % 3)::int],
           case when i % 2 = 0 then 'WO-' || (10000000 + (i * 7919) % 90000000) end,
           case when i % 3 = 0 then 'Sub-' || (100000 + (i * 104729) % 900000) end,
           case when i % 10 = 0 then 'PAK' || upper(substr(md5(i::text), 1, 10)) end,
           (case when i % 20 = 7 then 'enterprise_agreement' else 'standard' end)::purchase_model,
           i % 50 = 3, case when i % 9 = 0 then q / 2 else 0 end, i % 33 = 5,
           jsonb_build_array(jsonb_build_object('line', ln || '.1', 'pid', (${pids})[k], 'quantity', q),
                             jsonb_build_object('line', ln || '.2', 'pid', (${pids})[1 + k % ${n}], 'quantity', q))
    from (
      select i, (100000000 + ((i / 4)::bigint * 2654435761) % 900000000)::text as so, (1 + i % 4)::text as ln,
             (1 + (i * 7) % ${n})::int as k, (1 + i % 50)::int as q
      from generate_series(0::bigint, ${counts.licenses - 1}) as i
    ) g`);

  const devicePids = sqlText(DEVICE_PIDS);
  const prefixes = sqlText(SERIAL_PREFIXES);
  await run(`
    insert into devices (smart_account_id, virtual_account_id, serial_number, pid, host_id, uuid, license_type, pnp_status,
                         sales_order, registration)
    select ${saId}, case when i % 50 = 11 then ${lab!.id} else ${va!.id} end,
           (${prefixes})[(1 + i % ${SERIAL_PREFIXES.length})::int] || upper(lpad(to_hex(((i::bigint * 2654435761) % 4294967296)::bigint), 8, '0')),
           (${devicePids})[(1 + (i * 5) % ${DEVICE_PIDS.length})::int],
           upper(regexp_replace(substr(md5('h' || i), 1, 12), '(..)(?!$)', '\\1:', 'g')),
           md5('u' || i)::uuid::text,
           (array['smart','classic','subscription']::license_type[])[(1 + i % 3)::int],
           (array['provisioned','pending','unclaimed'])[(1 + i % 3)::int],
           (100000000 + ((i / 3)::bigint * 2654435761) % 900000000)::text,
           (case when i % 30 = 4 then 'cslu' when i % 40 = 9 then 'ssm_onprem' else 'direct' end)::device_registration
    from generate_series(0::bigint, ${counts.devices - 1}) as i`);

  for (const ix of searchIndexes) await run(ix.indexdef);

  // Some assets are already in an open transaction, as in a live account: the typeahead names it.
  await run(`
    insert into transfers (id, status, requester_id, source_smart_account_id, destination_smart_account_id,
                           destination_virtual_account_id, same_company_answer, same_legal_entity, surface, created_at, updated_at)
    values ('AT-BULK0001', 'pending_submission', ${user!.id}, ${saId}, ${saId}, ${lab!.id}, true, true, 'console', now(), now())`);
  await run(`
    insert into transfer_items (transfer_id, kind, license_id, asset_key, ref, pid, quantity)
    select 'AT-BULK0001', 'license', id, 'license:' || id, 'SO:' || sales_order || '-' || line, pid, quantity
    from licenses where smart_account_id = ${saId} and id % 500 = 0`);
  await run('analyze');
  return { smartAccountId: saId };
}
