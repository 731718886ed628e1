import { types, type PGlite, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import { onEveryQuerier } from './pglite-queriers.js';

/**
 * The types drizzle reads as PostgreSQL's text and converts itself: timestamp, timestamptz, interval,
 * date, and the arrays numeric[], timestamp[], timestamptz[], interval[], date[]. It asks PGlite for
 * them as text with parsers of its own on every query.
 */
const AS_TEXT = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182];

type Parsers = NonNullable<QueryOptions['parsers']>;

/** The arrays among them, with their element type: timestamp[], timestamptz[], date[], interval[]. */
const ARRAYS: [number, number][] = [
  [1115, 1114],
  [1185, 1184],
  [1182, 1082],
  [1187, 1186],
];

const adjusted = new WeakSet<PGlite>();

/** Whether a query's parsers only ask for those types as text (drizzle's), which the client now does. */
function onlyAsText(parsers: Parsers): boolean {
  return Object.keys(parsers).every((key) => {
    const oid = Number(key);
    if (!AS_TEXT.includes(oid)) return false;
    try {
      return parsers[oid]!('\u0000text') === '\u0000text';
    } catch {
      return false;
    }
  });
}

/**
 * PGlite merges a query's own parsers into its 318 default ones on every query, an object spread that
 * cost more than the query itself (190 µs of a 780 µs round trip, measured; drizzle passes parsers on
 * every query). Here the client reads those types as text once and for all, and drizzle's parsers are
 * dropped from each query as they change nothing. A query that asks for no parsers still gets PGlite's
 * own for those types, so its results are as before. (PGlite's `sql` template tag, which takes no
 * options, is not used by this project: it would read those types as text.)
 */
export function parseAsTextOnce(client: PGlite): void {
  // A client opened twice (a test's clone) keeps the parsers it had the first time.
  if (adjusted.has(client)) return;
  adjusted.add(client);
  const own: Parsers = {};
  for (const oid of AS_TEXT) if (client.parsers[oid]) own[oid] = client.parsers[oid];
  // PGlite's array parsers look their element's parser up when they run, which is now the text one:
  // those arrays get parsers of their own, bound to the element parsers PGlite had.
  for (const [array, element] of ARRAYS) {
    const parseElement = own[element] ?? ((value: string) => value);
    own[array] = (value: string, typeId?: number): unknown =>
      types.arrayParser(value, parseElement, typeId ?? array) as unknown;
  }
  const asText: Parsers = {};
  for (const oid of AS_TEXT) asText[oid] = (value: string) => value;
  client.parsers = { ...client.parsers, ...asText };

  const adjust = (options: QueryOptions | undefined): QueryOptions => {
    if (!options?.parsers) return { ...options, parsers: own };
    if (!onlyAsText(options.parsers)) return options;
    const rest = { ...options };
    delete rest.parsers;
    return rest;
  };
  onEveryQuerier(client, (target: Pick<Transaction, 'query' | 'exec'>) => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = ((sql: string, params?: unknown[], options?: QueryOptions) =>
      query(sql, params, adjust(options))) as typeof target.query;
    target.exec = (sql: string, options?: QueryOptions) => exec(sql, adjust(options));
  });
}
