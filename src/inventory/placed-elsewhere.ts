import { isStatus, type Status } from '../domain/status.js';
import { listParam } from '../domain/msg.js';
import { formatList } from '../i18n/format.js';
import { statusLabel, translate, type Locale } from '../i18n/index.js';

/**
 * Assets that a completed transfer moved and an inventory import then put somewhere else. The import is the
 * operator's record and may move them (a later real move is legitimate), but never silently: `import` says
 * so per transfer, and each transfer's history records it. A completed transfer stays completed.
 */
export interface PlacedElsewhere extends PlacedAssets {
  transferId: string;
  /**
   * The references of the transfer's items whose assets the file put elsewhere (`SO:100-1`, `SN:FOC0001`),
   * the first `PLACED_ITEMS_NAMED` in the order the transfer lists them; the counts say how many in all.
   */
  refs: string[];
}

/** Items `import` names for each transfer; the rest are counted. */
export const PLACED_ITEMS_NAMED = 10;

/** What the transfer's history records of it (its details): enough to say it again in any language. */
export interface PlacedAssets {
  /** The transfer's status: Transfer Completed, or Completed with Failure. */
  status: Status;
  /** Where the transfer moved them: `domain/VA`. */
  destination: string;
  licenses: number;
  devices: number;
  /** Where the file put them (`domain/VA`) and how many in each, most first. */
  places: { place: string; assets: number }[];
}

/** `9 devices`, `1 license and 2 devices`, in the reader's language. */
export function assetsText(locale: Locale, counts: { licenses: number; devices: number }): string {
  const parts: string[] = [];
  if (counts.licenses > 0)
    parts.push(translate(locale, 'common:inventoryPlaced.licenses', { count: counts.licenses }));
  if (counts.devices > 0)
    parts.push(translate(locale, 'common:inventoryPlaced.devices', { count: counts.devices }));
  return formatList(parts, locale);
}

/** `fr-a.example/DEFAULT`, or with several places each with its count: `… (7) and … (2)`. */
function placesText(locale: Locale, places: PlacedAssets['places']): string {
  if (places.length === 1) return places[0]!.place;
  return formatList(
    places.map((p) => translate(locale, 'common:inventoryPlaced.in', { place: p.place, count: p.assets })),
    locale,
  );
}

/**
 * What `import` says of one transfer: the transaction, which of its items the file put where, and the likely
 * cause.
 */
export function placedElsewhereWarning(locale: Locale, p: PlacedElsewhere): string {
  const count = p.licenses + p.devices;
  const refs = listParam(p.refs);
  return translate(locale, 'common:inventoryPlaced.warning', {
    count,
    assets: assetsText(locale, p),
    refs:
      count > p.refs.length
        ? translate(locale, 'common:inventoryPlaced.refsAmong', { refs })
        : translate(locale, 'common:inventoryPlaced.refs', { refs }),
    id: p.transferId,
    status: statusLabel(locale, p.status),
    destination: p.destination,
    places: placesText(locale, p.places),
  });
}

/** The history step's words: `Inventory import placed 9 devices elsewhere`. */
export function placedElsewhereAction(locale: Locale, p: PlacedAssets): string {
  return translate(locale, 'common:inventoryPlaced.action', { assets: assetsText(locale, p) });
}

/** The history step's reason: where the file put them, and where the transfer had. */
export function placedElsewhereReason(locale: Locale, p: PlacedAssets): string {
  return translate(locale, 'common:inventoryPlaced.reason', {
    count: p.licenses + p.devices,
    places: placesText(locale, p.places),
    destination: p.destination,
  });
}

/** What the history step records in its details. */
export function placedAssets(p: PlacedAssets): PlacedAssets {
  return {
    status: p.status,
    destination: p.destination,
    licenses: p.licenses,
    devices: p.devices,
    places: p.places,
  };
}

/** The step back from its recorded details, or null when they are not what `placedAssets` wrote. */
export function placedAssetsOf(details: Record<string, unknown> | null): PlacedAssets | null {
  if (!details) return null;
  const { status, destination, licenses, devices, places } = details;
  if (typeof status !== 'string' || !isStatus(status) || typeof destination !== 'string') return null;
  if (typeof licenses !== 'number' || typeof devices !== 'number' || !Array.isArray(places)) return null;
  const valid = places.every(
    (p: unknown) =>
      typeof p === 'object' &&
      p !== null &&
      typeof (p as { place?: unknown }).place === 'string' &&
      typeof (p as { assets?: unknown }).assets === 'number',
  );
  if (!valid || places.length === 0) return null;
  return { status, destination, licenses, devices, places: places as PlacedAssets['places'] };
}
