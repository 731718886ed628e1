import type { Database } from '../../db/client.js';
import { query } from './database.js';

export interface BenchAccounts {
  /** Two sites of one company: a transfer between them moves at submit, with no consent. */
  source: { id: number; domain: string; defaultVa: number };
  sister: { id: number; domain: string; defaultVa: number };
  /** Another company: transfers to it wait for consent. */
  affiliate: { id: number; domain: string; defaultVa: number };
  requester: { id: number; email: string };
  /** Admins of the affiliate, each a transferee in turn; the first one also escalates to the others. */
  transferees: { id: number; email: string }[];
}

/**
 * The people and accounts the transfer benchmarks act on, written with plain SQL: the benchmarks
 * measure the services, not the import.
 */
export async function seedAccounts(database: Database, transfereeCount = 20): Promise<BenchAccounts> {
  const one = async <T>(text: string) => (await query<T>(database, text))[0]!;
  await query(
    database,
    `insert into legal_entities (id, name, country, address) values
       ('acme-fr', 'ACME Réseaux SAS', 'FR', '1 place Bellecour, Lyon'),
       ('acme-jp', 'ACME Japan KK', 'JP', '1-1 Marunouchi, Tokyo')`,
  );
  const account = async (domain: string, name: string, le: string) => {
    const sa = await one<{ id: number }>(
      `insert into smart_accounts (domain, name, legal_entity_id) values ('${domain}', '${name}', '${le}') returning id`,
    );
    const va = await one<{ id: number }>(
      `insert into virtual_accounts (smart_account_id, name) values (${sa.id}, 'DEFAULT') returning id`,
    );
    return { id: sa.id, domain, defaultVa: va.id };
  };
  const source = await account('lyon.acme.example', 'ACME Lyon', 'acme-fr');
  const sister = await account('paris.acme.example', 'ACME Paris', 'acme-fr');
  const affiliate = await account('tokyo.acme.example', 'ACME Tokyo', 'acme-jp');
  const requester = await one<{ id: number; email: string }>(
    `insert into users (email, name, locale, time_zone, legal_entity_id)
     values ('requester@acme.example', 'Rémi Requester', 'fr', 'Europe/Paris', 'acme-fr') returning id, email`,
  );
  await query(
    database,
    `insert into role_grants (user_id, smart_account_id, role) values
       (${requester.id}, ${source.id}, 'admin'), (${requester.id}, ${sister.id}, 'admin'), (${requester.id}, ${affiliate.id}, 'admin')`,
  );
  const zones = ['Asia/Tokyo', 'UTC', 'Europe/Paris', null];
  const transferees = await query<{ id: number; email: string }>(
    database,
    `insert into users (email, name, locale, time_zone, legal_entity_id)
     select 'admin' || n || '@tokyo.acme.example', 'Tokyo Admin ' || n, 'ja',
            (array[${zones.map((z) => (z ? `'${z}'` : 'null')).join(',')}])[1 + n % ${zones.length}], 'acme-jp'
     from generate_series(1, ${transfereeCount}) as n
     returning id, email`,
  );
  await query(
    database,
    `insert into role_grants (user_id, smart_account_id, role)
     select id, ${affiliate.id}, 'admin' from users where email like '%@tokyo.acme.example'`,
  );
  return { source, sister, affiliate, requester, transferees };
}
