import { sql, type SQL } from 'drizzle-orm';
import type { ListCounts } from '../src/app/ports/inventory.js';
import type { Q } from './client.js';

/**
 * Set-based upserts for the inventory import. Each statement takes one JSON text parameter holding a whole
 * batch (`jsonb_to_recordset`), so a batch costs one round trip and one parameter whatever its size, on
 * PGlite and postgres.js alike. `xmax = 0` on a RETURNING row tells an inserted row from an updated one.
 * An existing row is updated only where a value changes (`setWhereChanged`): one the file repeats as stored
 * is neither written nor returned, so the import counts it unchanged and a re-import rewrites nothing.
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
export function batch(rows: readonly object[]): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)`;
}

export function jsonList(values: readonly (string | number)[]): SQL {
  return sql`(select value from jsonb_array_elements_text(${JSON.stringify(values)}::text::jsonb))`;
}

/**
 * `do update set` each column to its value, where one of them changes: a conflicting row that already holds
 * every value is left as it is, and RETURNING leaves it out.
 */
export function setWhereChanged(table: string, values: Record<string, SQL>): SQL {
  const entries = Object.entries(values);
  const assignments = entries.map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
  const stored = entries.map(([column]) => sql`${sql.identifier(table)}.${sql.identifier(column)}`);
  const given = entries.map(([, value]) => value);
  return sql`do update set ${sql.join(assignments, sql`, `)}
    where (${sql.join(stored, sql`, `)}) is distinct from (${sql.join(given, sql`, `)})`;
}

/** What happened to one row of a batch. */
export type RowOutcome = 'created' | 'updated' | 'unchanged';

/** Counts an upsert of `given` rows that returns `inserted` for each row it wrote; it left the others unchanged. */
async function counted(q: Q, upsert: SQL, given: number): Promise<ListCounts> {
  const [row] = await query<{ created: number; updated: number }>(
    q,
    sql`with up as (${upsert}) select (count(*) filter (where inserted))::int as created,
      (count(*) filter (where not inserted))::int as updated from up`,
  );
  return withUnchanged(row ?? { created: 0, updated: 0 }, given);
}

export function withUnchanged(
  { created, updated }: { created: number; updated: number },
  given: number,
): ListCounts {
  return { created, updated, unchanged: given - created - updated };
}

export interface LegalEntityRow {
  id: string;
  name: string;
  country: string | null;
  address: string | null;
  parent_id: string | null;
}

export function upsertLegalEntities(q: Q, rows: LegalEntityRow[]): Promise<ListCounts> {
  return counted(
    q,
    sql`insert into legal_entities (id, name, country, address, parent_id)
      select r.id, r.name, r.country, r.address, r.parent_id
      from ${batch(rows)} as r(id text, name text, country text, address text, parent_id text)
      on conflict (id) ${setWhereChanged('legal_entities', {
        name: sql`excluded.name`,
        country: sql`coalesce(excluded.country, legal_entities.country)`,
        address: sql`coalesce(excluded.address, legal_entities.address)`,
        parent_id: sql`coalesce(excluded.parent_id, legal_entities.parent_id)`,
      })}
      returning (xmax = 0) as inserted`,
    rows.length,
  );
}

export interface SmartAccountRow {
  domain: string;
  name: string;
  legal_entity_id: string | null;
}

/**
 * An upsert of rows keyed by a text column compared without case (a domain, an e-mail) that answers for every
 * row given: its id and what became of it. `upsert` inserts from `given` (the CTE of the batch) and returns
 * `id`, the key and `inserted`. The rows left unchanged are read in the same statement, whose snapshot is
 * from before the insert: there they are, and nothing the insert added is. A row another import added and
 * committed while this statement waited for it is neither: the statement left it as it was, and it is read
 * once more by its key. `was`, a value of the row as it was (`was.…`), is returned as `was` for each row
 * updated, read in the same snapshot (null for the others).
 */
async function upsertKeyed<K extends 'domain' | 'email'>(
  q: Q,
  table: 'smart_accounts' | 'users',
  key: K,
  keys: string[],
  given: SQL,
  upsert: SQL,
  was?: SQL,
): Promise<({ id: number; outcome: RowOutcome; was?: unknown } & Record<K, string>)[]> {
  type Row = { id: number; outcome: RowOutcome; was: unknown } & Record<K, string>;
  const t = sql.identifier(table);
  const k = sql.identifier(key);
  const upserted = await query<Row>(
    q,
    sql`with given as (${given}), up as (${upsert})
      select up.id, up.${k}, (case when inserted then 'created' else 'updated' end) as outcome,
        ${was ?? sql`null`} as was
      from up ${was ? sql`left join ${t} was on was.id = up.id` : sql``}
      union all
      select s.id, s.${k}, 'unchanged', null from ${t} s
      where lower(s.${k}) in (select lower(${k}) from given) and s.id not in (select id from up)`,
  );
  const seen = new Set(upserted.map((row) => row[key].toLowerCase()));
  const unseen = keys.map((value) => value.toLowerCase()).filter((value) => !seen.has(value));
  if (unseen.length === 0) return upserted;
  const late = await query<{ id: number } & Record<K, string>>(
    q,
    sql`select id, ${k} from ${t} where lower(${k}) in ${jsonList(unseen)}`,
  );
  return [...upserted, ...late.map((row) => ({ ...row, outcome: 'unchanged' as const }))];
}

/** Every row with its id and what became of it (see `upsertKeyed`). */
export function upsertSmartAccounts(
  q: Q,
  rows: SmartAccountRow[],
): Promise<{ id: number; domain: string; outcome: RowOutcome }[]> {
  return upsertKeyed(
    q,
    'smart_accounts',
    'domain',
    rows.map((row) => row.domain),
    sql`select * from ${batch(rows)} as r(domain text, name text, legal_entity_id text)`,
    sql`insert into smart_accounts (domain, name, legal_entity_id)
      select domain, name, legal_entity_id from given
      on conflict (lower(domain)) ${setWhereChanged('smart_accounts', {
        domain: sql`excluded.domain`,
        name: sql`excluded.name`,
        legal_entity_id: sql`coalesce(excluded.legal_entity_id, smart_accounts.legal_entity_id)`,
      })}
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

export function upsertVirtualAccounts(q: Q, rows: VirtualAccountRow[]): Promise<ListCounts> {
  return counted(
    q,
    sql`insert into virtual_accounts (smart_account_id, name, on_prem)
      select r.smart_account_id, r.name, r.on_prem
      from ${batch(rows)} as r(smart_account_id int, name text, on_prem boolean)
      on conflict (smart_account_id, lower(name)) ${setWhereChanged('virtual_accounts', {
        name: sql`excluded.name`,
        on_prem: sql`excluded.on_prem`,
      })}
      returning (xmax = 0) as inserted`,
    rows.length,
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

/**
 * `setGlobalRoles`: whether these rows say which global roles their users hold (absent = leave as stored).
 * Every row with its id and what became of it (see `upsertKeyed`), and for one updated while its global
 * roles were set, the global roles it held before, for the application to tell what the import changed.
 */
export async function upsertUsers(
  q: Q,
  rows: UserRow[],
  setGlobalRoles: boolean,
): Promise<{ id: number; email: string; outcome: RowOutcome; globalRolesBefore: string[] | null }[]> {
  const upserted = await upsertKeyed(
    q,
    'users',
    'email',
    rows.map((row) => row.email),
    sql`select * from ${batch(rows)} as r(email text, name text, locale text, time_zone text,
      legal_entity_id text, global_roles jsonb)`,
    sql`insert into users (email, name, locale, time_zone, legal_entity_id, global_roles)
      select email, name, locale, time_zone, legal_entity_id,
        array(select jsonb_array_elements_text(coalesce(global_roles, '[]'::jsonb)))
      from given
      on conflict (lower(email)) ${setWhereChanged('users', {
        email: sql`excluded.email`,
        name: sql`excluded.name`,
        locale: sql`coalesce(excluded.locale, users.locale)`,
        time_zone: sql`coalesce(excluded.time_zone, users.time_zone)`,
        legal_entity_id: sql`coalesce(excluded.legal_entity_id, users.legal_entity_id)`,
        ...(setGlobalRoles ? { global_roles: sql`excluded.global_roles` } : {}),
      })}
      returning id, email, (xmax = 0) as inserted`,
    setGlobalRoles ? sql`array_to_json(was.global_roles)::text` : undefined,
  );
  return upserted.map(({ was, ...row }) => ({
    ...row,
    globalRolesBefore: typeof was === 'string' ? (JSON.parse(was) as string[]) : null,
  }));
}

export interface IdentityRow {
  platform: string;
  external_id: string;
  user_id: number;
}

/**
 * Each user's id on a platform becomes the one given; a platform a row does not name keeps what is stored.
 * `parseInventory` has refused an id that belongs to someone else. Returns the users whose ids changed.
 */
export async function upsertIdentities(q: Q, rows: IdentityRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const changed = await query<{ user_id: number }>(
    q,
    sql`insert into user_identities (platform, external_id, user_id)
      select r.platform, r.external_id, r.user_id from ${batch(rows)} as r(platform text, external_id text, user_id int)
      on conflict (platform, user_id) ${setWhereChanged('user_identities', { external_id: sql`excluded.external_id` })}
      returning user_id`,
  );
  return changed.map((row) => row.user_id);
}
