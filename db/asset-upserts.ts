import { sql, type SQL } from 'drizzle-orm';
import type { ListCounts } from '../src/app/ports/inventory.js';
import type { Q } from './client.js';
import { batch, query, setWhereChanged, withUnchanged } from './inventory-upserts.js';

/**
 * The inventory import's upserts of licenses and devices (see inventory-upserts.ts for how a batch is sent
 * and counted), and the assets a batch moved to another Virtual Account.
 */

/** An existing asset the batch put in another Virtual Account (so perhaps another Smart Account too). */
export interface MovedAsset {
  id: number;
  fromVirtualAccountId: number;
}

export interface AssetsUpserted extends ListCounts {
  moved: MovedAsset[];
}

/**
 * Counts an asset upsert and lists the assets it moved. The upsert returns `was_va`, the VA the row was in:
 * a subquery in RETURNING reads the table as it was before the statement. Comparing VAs is enough, as every
 * VA belongs to one Smart Account and the import sets both from the same row of the file. A moved asset is
 * always written, as its VA changes.
 */
async function assetsUpserted(q: Q, upsert: SQL, given: number): Promise<AssetsUpserted> {
  const [row] = await query<{ created: number; updated: number; moved: string }>(
    q,
    sql`with up as (${upsert}) select (count(*) filter (where inserted))::int as created,
      (count(*) filter (where not inserted))::int as updated,
      coalesce(jsonb_agg(jsonb_build_array(id, was_va)) filter (where was_va <> virtual_account_id), '[]')::text
        as moved
      from up`,
  );
  if (!row) return { ...withUnchanged({ created: 0, updated: 0 }, given), moved: [] };
  const moved = (JSON.parse(row.moved) as [number, number][]).map(([id, fromVirtualAccountId]) => ({
    id,
    fromVirtualAccountId,
  }));
  return { ...withUnchanged(row, given), moved };
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
      on conflict (sales_order, line) ${setWhereChanged('licenses', {
        smart_account_id: sql`excluded.smart_account_id`,
        virtual_account_id: sql`excluded.virtual_account_id`,
        pid: sql`excluded.pid`,
        description: sql`coalesce(excluded.description, licenses.description)`,
        quantity: sql`excluded.quantity`,
        license_type: sql`excluded.license_type`,
        web_order: sql`coalesce(excluded.web_order, licenses.web_order)`,
        subscription_id: sql`coalesce(excluded.subscription_id, licenses.subscription_id)`,
        pak: sql`coalesce(excluded.pak, licenses.pak)`,
        purchase_model: sql`excluded.purchase_model`,
        pending_upgrade: sql`excluded.pending_upgrade`,
        in_use: sql`excluded.in_use`,
        reserved: sql`excluded.reserved`,
        minor_lines: sql`excluded.minor_lines`,
      })}
      returning id, virtual_account_id, (xmax = 0) as inserted,
        (select o.virtual_account_id from licenses o where o.id = licenses.id) as was_va`,
    rows.length,
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
      on conflict (upper(serial_number)) ${setWhereChanged('devices', {
        smart_account_id: sql`excluded.smart_account_id`,
        virtual_account_id: sql`excluded.virtual_account_id`,
        serial_number: sql`excluded.serial_number`,
        pid: sql`excluded.pid`,
        host_id: sql`coalesce(excluded.host_id, devices.host_id)`,
        uuid: sql`coalesce(excluded.uuid, devices.uuid)`,
        license_type: sql`coalesce(excluded.license_type, devices.license_type)`,
        pnp_status: sql`coalesce(excluded.pnp_status, devices.pnp_status)`,
        sales_order: sql`coalesce(excluded.sales_order, devices.sales_order)`,
        registration: sql`excluded.registration`,
      })}
      returning id, virtual_account_id, (xmax = 0) as inserted,
        (select o.virtual_account_id from devices o where o.id = devices.id) as was_va`,
    rows.length,
  );
}
