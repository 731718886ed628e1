import { sql, type SQL } from 'drizzle-orm';
import type { CreatedUpdated } from '../src/app/ports/inventory.js';
import type { Q } from './client.js';

/**
 * Set-based upserts for the inventory import. Each statement takes one JSON text parameter holding a whole
 * batch (`jsonb_to_recordset`), so a batch costs one round trip and one parameter whatever its size, on
 * PGlite and postgres.js alike. `xmax = 0` on a RETURNING row tells an inserted row from an updated one.
 *
 * Optional attributes that a file leaves out (null) keep their stored value: a Slack ID the bot learnt by
 * e-mail lookup, for instance, survives a re-import of a file that does not know it.
 */

/** `execute` yields `{ rows }` on PGlite and an array on postgres.js. */
export async function query<T>(q: Q, statement: SQL): Promise<T[]> {
  const result: unknown = await q.execute(statement);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The batch as one parameter. `::text` first: postgres.js would JSON-encode a string bound straight to jsonb. */
function batch(rows: readonly object[]): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)`;
}

export function jsonList(values: readonly (string | number)[]): SQL {
  return sql`(select value from jsonb_array_elements_text(${JSON.stringify(values)}::text::jsonb))`;
}

async function counted(q: Q, upsert: SQL): Promise<CreatedUpdated> {
  const [row] = await query<CreatedUpdated>(
    q,
    sql`with up as (${upsert}) select (count(*) filter (where inserted))::int as created,
      (count(*) filter (where not inserted))::int as updated from up`,
  );
  return row ?? { created: 0, updated: 0 };
}

/** An existing asset the batch put in another Virtual Account (so perhaps another Smart Account too). */
export interface MovedAsset {
  id: number;
  fromVirtualAccountId: number;
}

export interface AssetsUpserted extends CreatedUpdated {
  moved: MovedAsset[];
}

/**
 * Counts an asset upsert and lists the assets it moved. The upsert returns `was_va`, the VA the row was in:
 * a subquery in RETURNING reads the table as it was before the statement. Comparing VAs is enough, as every
 * VA belongs to one Smart Account and the import sets both from the same row of the file.
 */
async function assetsUpserted(q: Q, upsert: SQL): Promise<AssetsUpserted> {
  const [row] = await query<{ created: number; updated: number; moved: string }>(
    q,
    sql`with up as (${upsert}) select (count(*) filter (where inserted))::int as created,
      (count(*) filter (where not inserted))::int as updated,
      coalesce(jsonb_agg(jsonb_build_array(id, was_va)) filter (where was_va <> virtual_account_id), '[]')::text
        as moved
      from up`,
  );
  if (!row) return { created: 0, updated: 0, moved: [] };
  const moved = (JSON.parse(row.moved) as [number, number][]).map(([id, fromVirtualAccountId]) => ({
    id,
    fromVirtualAccountId,
  }));
  return { created: row.created, updated: row.updated, moved };
}

export interface LegalEntityRow {
  id: string;
  name: string;
  country: string | null;
  address: string | null;
  parent_id: string | null;
}

export function upsertLegalEntities(q: Q, rows: LegalEntityRow[]): Promise<CreatedUpdated> {
  return counted(
    q,
    sql`insert into legal_entities (id, name, country, address, parent_id)
      select r.id, r.name, r.country, r.address, r.parent_id
      from ${batch(rows)} as r(id text, name text, country text, address text, parent_id text)
      on conflict (id) do update set
        name = excluded.name,
        country = coalesce(excluded.country, legal_entities.country),
        address = coalesce(excluded.address, legal_entities.address),
        parent_id = coalesce(excluded.parent_id, legal_entities.parent_id)
      returning (xmax = 0) as inserted`,
  );
}

export interface SmartAccountRow {
  domain: string;
  name: string;
  legal_entity_id: string | null;
}

export function upsertSmartAccounts(
  q: Q,
  rows: SmartAccountRow[],
): Promise<{ id: number; domain: string; inserted: boolean }[]> {
  return query(
    q,
    sql`insert into smart_accounts (domain, name, legal_entity_id)
      select r.domain, r.name, r.legal_entity_id
      from ${batch(rows)} as r(domain text, name text, legal_entity_id text)
      on conflict (lower(domain)) do update set
        domain = excluded.domain,
        name = excluded.name,
        legal_entity_id = coalesce(excluded.legal_entity_id, smart_accounts.legal_entity_id)
      returning id, domain, (xmax = 0) as inserted`,
  );
}

export function findSmartAccounts(q: Q, lowerDomains: string[]): Promise<{ id: number; domain: string }[]> {
  return query(
    q,
    sql`select id, domain from smart_accounts where lower(domain) in ${jsonList(lowerDomains)}`,
  );
}

export interface VirtualAccountRow {
  smart_account_id: number;
  name: string;
  on_prem: boolean;
}

export function upsertVirtualAccounts(q: Q, rows: VirtualAccountRow[]): Promise<CreatedUpdated> {
  return counted(
    q,
    sql`insert into virtual_accounts (smart_account_id, name, on_prem)
      select r.smart_account_id, r.name, r.on_prem
      from ${batch(rows)} as r(smart_account_id int, name text, on_prem boolean)
      on conflict (smart_account_id, lower(name)) do update set name = excluded.name, on_prem = excluded.on_prem
      returning (xmax = 0) as inserted`,
  );
}

/** The `DEFAULT` VA every Smart Account has: created when missing, never altered. */
export async function ensureVirtualAccounts(q: Q, smartAccountIds: number[], name: string): Promise<number> {
  const rows = await query<{ id: number }>(
    q,
    sql`insert into virtual_accounts (smart_account_id, name)
      select value::int, ${name} from jsonb_array_elements_text(${JSON.stringify(smartAccountIds)}::text::jsonb)
      on conflict (smart_account_id, lower(name)) do nothing
      returning id`,
  );
  return rows.length;
}

export function findVirtualAccounts(
  q: Q,
  smartAccountIds: number[],
): Promise<{ id: number; smart_account_id: number; name: string }[]> {
  return query(
    q,
    sql`select id, smart_account_id, name from virtual_accounts where smart_account_id in (
      select value::int from jsonb_array_elements_text(${JSON.stringify(smartAccountIds)}::text::jsonb))`,
  );
}

export interface UserRow {
  email: string;
  name: string;
  locale: string | null;
  time_zone: string | null;
  legal_entity_id: string | null;
  global_roles: string[] | null;
}

/** `setGlobalRoles`: whether these rows say which global roles their users hold (absent = leave as stored). */
export function upsertUsers(
  q: Q,
  rows: UserRow[],
  setGlobalRoles: boolean,
): Promise<{ id: number; email: string; inserted: boolean }[]> {
  const globalRoles = setGlobalRoles ? sql`, global_roles = excluded.global_roles` : sql``;
  return query(
    q,
    sql`insert into users (email, name, locale, time_zone, legal_entity_id, global_roles)
      select r.email, r.name, r.locale, r.time_zone, r.legal_entity_id,
        array(select jsonb_array_elements_text(coalesce(r.global_roles, '[]'::jsonb)))
      from ${batch(rows)} as r(email text, name text, locale text, time_zone text, legal_entity_id text,
        global_roles jsonb)
      on conflict (lower(email)) do update set
        email = excluded.email,
        name = excluded.name,
        locale = coalesce(excluded.locale, users.locale),
        time_zone = coalesce(excluded.time_zone, users.time_zone),
        legal_entity_id = coalesce(excluded.legal_entity_id, users.legal_entity_id)${globalRoles}
      returning id, email, (xmax = 0) as inserted`,
  );
}

export interface IdentityRow {
  platform: string;
  external_id: string;
  user_id: number;
}

/**
 * Each user's id on a platform becomes the one given; a platform a row does not name keeps what is stored.
 * `parseInventory` has refused an id that belongs to someone else.
 */
export async function upsertIdentities(q: Q, rows: IdentityRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.execute(
    sql`insert into user_identities (platform, external_id, user_id)
      select r.platform, r.external_id, r.user_id from ${batch(rows)} as r(platform text, external_id text, user_id int)
      on conflict (platform, user_id) do update set external_id = excluded.external_id`,
  );
}

export interface RoleGrantRow {
  user_id: number;
  smart_account_id: number;
  role: 'admin' | 'user';
}

/** These users' grants on these Smart Accounts become exactly `grants`; grants elsewhere are kept. */
export async function replaceRoleGrants(
  q: Q,
  userIds: number[],
  smartAccountIds: number[],
  grants: RoleGrantRow[],
): Promise<void> {
  if (userIds.length === 0) return;
  await q.execute(
    sql`delete from role_grants where user_id in (select value::int from jsonb_array_elements_text(
      ${JSON.stringify(userIds)}::text::jsonb)) and smart_account_id in (select value::int from
      jsonb_array_elements_text(${JSON.stringify(smartAccountIds)}::text::jsonb))`,
  );
  if (grants.length === 0) return;
  await q.execute(
    sql`insert into role_grants (user_id, smart_account_id, role)
      select r.user_id, r.smart_account_id, r.role from ${batch(grants)} as r(user_id int, smart_account_id int, role text)
      on conflict (user_id, smart_account_id) do update set role = excluded.role`,
  );
}

export interface LicenseRow {
  smart_account_id: number;
  virtual_account_id: number;
  sales_order: string;
  line: string;
  pid: string;
  description: string | null;
  quantity: number;
  license_type: string;
  web_order: string | null;
  subscription_id: string | null;
  pak: string | null;
  purchase_model: string;
  pending_upgrade: boolean;
  in_use: number;
  reserved: boolean;
  minor_lines: { line: string; pid: string; quantity: number }[];
}

export function upsertLicenses(q: Q, rows: LicenseRow[]): Promise<AssetsUpserted> {
  return assetsUpserted(
    q,
    sql`insert into licenses (smart_account_id, virtual_account_id, sales_order, line, pid, description, quantity,
        license_type, web_order, subscription_id, pak, purchase_model, pending_upgrade, in_use, reserved, minor_lines)
      select r.smart_account_id, r.virtual_account_id, r.sales_order, r.line, r.pid, r.description, r.quantity,
        r.license_type::license_type, r.web_order, r.subscription_id, r.pak, r.purchase_model::purchase_model,
        r.pending_upgrade, r.in_use, r.reserved, r.minor_lines
      from ${batch(rows)} as r(smart_account_id int, virtual_account_id int, sales_order text, line text, pid text,
        description text, quantity int, license_type text, web_order text, subscription_id text, pak text,
        purchase_model text, pending_upgrade boolean, in_use int, reserved boolean, minor_lines jsonb)
      on conflict (sales_order, line) do update set
        smart_account_id = excluded.smart_account_id,
        virtual_account_id = excluded.virtual_account_id,
        pid = excluded.pid,
        description = coalesce(excluded.description, licenses.description),
        quantity = excluded.quantity,
        license_type = excluded.license_type,
        web_order = coalesce(excluded.web_order, licenses.web_order),
        subscription_id = coalesce(excluded.subscription_id, licenses.subscription_id),
        pak = coalesce(excluded.pak, licenses.pak),
        purchase_model = excluded.purchase_model,
        pending_upgrade = excluded.pending_upgrade,
        in_use = excluded.in_use,
        reserved = excluded.reserved,
        minor_lines = excluded.minor_lines
      returning id, virtual_account_id, (xmax = 0) as inserted,
        (select o.virtual_account_id from licenses o where o.id = licenses.id) as was_va`,
  );
}

export interface DeviceRow {
  smart_account_id: number;
  virtual_account_id: number;
  serial_number: string;
  pid: string;
  host_id: string | null;
  uuid: string | null;
  license_type: string | null;
  pnp_status: string | null;
  sales_order: string | null;
  registration: string;
}

export function upsertDevices(q: Q, rows: DeviceRow[]): Promise<AssetsUpserted> {
  return assetsUpserted(
    q,
    sql`insert into devices (smart_account_id, virtual_account_id, serial_number, pid, host_id, uuid, license_type,
        pnp_status, sales_order, registration)
      select r.smart_account_id, r.virtual_account_id, r.serial_number, r.pid, r.host_id, r.uuid,
        r.license_type::license_type, r.pnp_status, r.sales_order, r.registration::device_registration
      from ${batch(rows)} as r(smart_account_id int, virtual_account_id int, serial_number text, pid text,
        host_id text, uuid text, license_type text, pnp_status text, sales_order text, registration text)
      on conflict (upper(serial_number)) do update set
        smart_account_id = excluded.smart_account_id,
        virtual_account_id = excluded.virtual_account_id,
        serial_number = excluded.serial_number,
        pid = excluded.pid,
        host_id = coalesce(excluded.host_id, devices.host_id),
        uuid = coalesce(excluded.uuid, devices.uuid),
        license_type = coalesce(excluded.license_type, devices.license_type),
        pnp_status = coalesce(excluded.pnp_status, devices.pnp_status),
        sales_order = coalesce(excluded.sales_order, devices.sales_order),
        registration = excluded.registration
      returning id, virtual_account_id, (xmax = 0) as inserted,
        (select o.virtual_account_id from devices o where o.id = devices.id) as was_va`,
  );
}
