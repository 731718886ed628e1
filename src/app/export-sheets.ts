import type { Status } from '../domain/status.js';
import {
  accountLabel,
  personAddress,
  statusLabel,
  tr,
  translate,
  type CatalogKey,
  type Reader,
} from '../i18n/index.js';
import { enumText, type EnumName } from './asset-rows.js';
import type { Msg } from '../domain/msg.js';
import { wallClock, type CellInput, type Column, type Table } from './export-table.js';
import { historyEntryText } from './history-text.js';
import { inShowingOrder } from './item-order.js';
import type { DeviceRow, LicenseRow } from './ports/assets.js';
import type { ItemView, PersonView, TransferView } from './views.js';

/** Who the file is for (its language and the zone of its dates), and when and by whom it was asked for. */
export interface ExportContext {
  reader: Reader;
  exportedAt: Date;
  /** Who asked for the file, or null for the operator at the command line. */
  exportedBy: string | null;
}

/** One row of an account's transaction list. */
export interface TransactionLine {
  id: string;
  status: Status;
  source: { domain: string; name: string };
  sourceVirtualAccount: string | null;
  destination: { domain: string; name: string };
  destinationVirtualAccount: string;
  sameLegalEntity: boolean;
  requester: PersonView;
  transferee: PersonView | null;
  createdAt: Date;
  completedAt: Date | null;
}

export const t = (ctx: ExportContext, key: CatalogKey, params?: Record<string, string | number>) =>
  translate(ctx.reader.locale, key, params);
export const zone = (ctx: ExportContext) => ({ zone: ctx.reader.timeZone });
export const yesNo = (ctx: ExportContext, value: boolean) =>
  t(ctx, value ? 'common:answer.yes' : 'common:answer.no');
export const person = (ctx: ExportContext, who: PersonView | null) =>
  who === null ? '' : personAddress(ctx.reader.locale, who);
export const when = (ctx: ExportContext, date: Date | null) => wallClock(date, ctx.reader.timeZone);

/** One account's transactions, one per row, read a page at a time. */
export function transactionsSheet(
  ctx: ExportContext,
  pages: () => AsyncIterable<readonly TransactionLine[]>,
): Table {
  const columns: Column[] = [
    { header: t(ctx, 'export:column.transactionId'), kind: 'text' },
    { header: t(ctx, 'export:column.sourceSmartAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.sourceVirtualAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.destinationSmartAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.destinationVirtualAccount'), kind: 'text' },
    { header: t(ctx, 'export:column.sameCompany'), kind: 'text' },
    { header: t(ctx, 'export:column.requester'), kind: 'text' },
    { header: t(ctx, 'export:column.transferee'), kind: 'text' },
    { header: t(ctx, 'export:column.transactionDate', zone(ctx)), kind: 'dateTime' },
    { header: t(ctx, 'export:column.completionDate', zone(ctx)), kind: 'dateTime' },
    { header: t(ctx, 'export:column.status'), kind: 'text' },
  ];
  // Translated once, not once per row: an account's export may hold tens of thousands of rows.
  const allVas = t(ctx, 'export:value.allVirtualAccounts');
  const answers = { yes: yesNo(ctx, true), no: yesNo(ctx, false) };
  const labels = new Map<Status, string>();
  const label = (status: Status) =>
    labels.get(status) ?? labels.set(status, statusLabel(ctx.reader.locale, status)).get(status)!;
  // Each account as the transaction's own file names it, `Name (domain)`: written once per account.
  const accounts = new Map<string, string>();
  const account = (a: { domain: string; name: string }) =>
    accounts.get(a.domain) ??
    accounts.set(a.domain, a.domain ? accountLabel(ctx.reader.locale, a) : '').get(a.domain)!;
  const row = (l: TransactionLine): CellInput[] => [
    l.id,
    account(l.source),
    l.sourceVirtualAccount ?? allVas,
    account(l.destination),
    l.destinationVirtualAccount,
    l.sameLegalEntity ? answers.yes : answers.no,
    person(ctx, l.requester),
    person(ctx, l.transferee),
    when(ctx, l.createdAt),
    when(ctx, l.completedAt),
    label(l.status),
  ];
  async function* rows() {
    for await (const lines of pages()) yield lines.map(row);
  }
  return { name: t(ctx, 'export:sheet.transactions'), columns, rows };
}

/** The inventory rows behind a transfer's items, by id: what people search by, and the minor lines. */
export interface ItemAssets {
  licenses: ReadonlyMap<number, LicenseRow>;
  devices: ReadonlyMap<number, DeviceRow>;
}

const NO_ASSETS: ItemAssets = { licenses: new Map(), devices: new Map() };

/**
 * Every item with its result, when it moved and why not (and, moved on retry, why it had failed before),
 * warnings and notes one per line, and what people search it by (web order, subscription ID, PAK; host
 * ID, UUID). A license's minor lines follow it, one row each: they move with their line, so they carry no
 * result of their own.
 */
export function itemsSheet(ctx: ExportContext, view: TransferView, assets: ItemAssets = NO_ASSETS): Table {
  const { locale } = ctx.reader;
  const columns: Column[] = [
    { header: t(ctx, 'export:column.reference'), kind: 'text' },
    { header: t(ctx, 'export:column.kind'), kind: 'text' },
    { header: t(ctx, 'export:column.pid'), kind: 'text' },
    { header: t(ctx, 'export:column.description'), kind: 'text' },
    { header: t(ctx, 'export:column.quantity'), kind: 'number' },
    { header: t(ctx, 'common:field.licenseType'), kind: 'text' },
    { header: t(ctx, 'common:field.webOrder'), kind: 'text' },
    { header: t(ctx, 'common:field.subscriptionId'), kind: 'text' },
    { header: t(ctx, 'common:field.pak'), kind: 'text' },
    { header: t(ctx, 'common:field.hostId'), kind: 'text' },
    { header: t(ctx, 'common:field.uuid'), kind: 'text' },
    { header: t(ctx, 'common:field.pnpStatus'), kind: 'text' },
    { header: t(ctx, 'common:field.registration'), kind: 'text' },
    { header: t(ctx, 'export:column.result'), kind: 'text' },
    { header: t(ctx, 'export:column.movedAt', zone(ctx)), kind: 'dateTime' },
    { header: t(ctx, 'export:column.reason'), kind: 'text' },
    { header: t(ctx, 'export:column.earlierFailure'), kind: 'text' },
    { header: t(ctx, 'export:column.warnings'), kind: 'text' },
  ];
  const minorKind = t(ctx, 'export:value.minorLine');
  // Ten thousand items say the same few things: each text is translated once.
  const said = remembered((key: CatalogKey) => t(ctx, key));
  const message = remembered((json: string) => tr(ctx.reader, JSON.parse(json) as Msg));
  const search = remembered((json: string) => {
    const [name, value] = JSON.parse(json) as [EnumName, string];
    return enumText(locale, name, value);
  });
  const text: EnumText = (name, value) => search(JSON.stringify([name, value]));
  // Failed first, then those with warnings, as everywhere items are shown (`inShowingOrder`).
  const rows: CellInput[][] = inShowingOrder(view.items).flatMap((i) => {
    const license = i.licenseId === null ? undefined : assets.licenses.get(i.licenseId);
    const device = i.deviceId === null ? undefined : assets.devices.get(i.deviceId);
    const row: CellInput[] = [
      i.ref,
      said(`common:assetKind.${i.kind}`),
      i.pid,
      i.description,
      i.quantity,
      ...searchedBy(text, license, device),
      said(`common:itemResult.${i.result}`),
      when(ctx, i.movedAt),
      i.reason ? message(JSON.stringify(i.reason)) : null,
      // Why an item moved on retry had failed before: what held it back, for the record.
      i.result === 'transferred' && i.lastFailure ? message(JSON.stringify(i.lastFailure)) : null,
      i.warnings.length > 0 ? i.warnings.map((w) => message(JSON.stringify(w))).join('\n') : null,
    ];
    const minors: CellInput[][] = (license?.minorLines ?? []).map((m) => [
      minorRef(i, m.line),
      minorKind,
      m.pid,
      null,
      m.quantity,
      ...Array<CellInput>(8).fill(null),
      null,
      null,
      null,
      null,
      null,
    ]);
    return [row, ...minors];
  });
  return { name: t(ctx, 'export:sheet.items'), columns, rows };
}

type EnumText = (name: EnumName, value: string) => string;

/** A function of a text that computes each answer once; an export holds it only while it runs. */
function remembered<Key extends string>(compute: (key: Key) => string): (key: Key) => string {
  const known = new Map<Key, string>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) known.set(key, (value = compute(key)));
    return value;
  };
}

/** License type, web order, subscription ID, PAK, host ID, UUID, PnP status, registration. */
function searchedBy(
  enumText: EnumText,
  license: LicenseRow | undefined,
  device: DeviceRow | undefined,
): CellInput[] {
  if (license)
    return [
      enumText('licenseType', license.licenseType),
      license.webOrder,
      license.subscriptionId,
      license.pak,
      null,
      null,
      null,
      null,
    ];
  if (device)
    return [
      device.licenseType ? enumText('licenseType', device.licenseType) : null,
      null,
      null,
      null,
      device.hostId,
      device.uuid,
      device.pnpStatus ? enumText('pnpStatus', device.pnpStatus) : null,
      enumText('registration', device.registration),
    ];
  return Array<CellInput>(8).fill(null);
}

/** `SO:104857601-1` and minor line `1.1` read `SO:104857601-1.1`. */
function minorRef(item: ItemView, line: string): string {
  const major = /^SO:(\d+)-/.exec(item.ref);
  return major ? `SO:${major[1]}-${line}` : line;
}

/** The whole record, in order: who did what, where, from which status to which, and why. */
export function historySheet(ctx: ExportContext, view: TransferView): Table {
  const columns: Column[] = [
    { header: t(ctx, 'export:column.time', zone(ctx)), kind: 'dateTimeSeconds' },
    { header: t(ctx, 'export:column.actor'), kind: 'text' },
    { header: t(ctx, 'export:column.surface'), kind: 'text' },
    { header: t(ctx, 'export:column.action'), kind: 'text' },
    { header: t(ctx, 'export:column.from'), kind: 'text' },
    { header: t(ctx, 'export:column.to'), kind: 'text' },
    { header: t(ctx, 'export:column.reason'), kind: 'text' },
  ];
  const rows: CellInput[][] = view.history.map((h) => {
    const text = historyEntryText(ctx.reader.locale, h);
    return [
      when(ctx, h.at),
      text.who,
      text.where,
      text.what,
      h.from ? statusLabel(ctx.reader.locale, h.from) : null,
      h.to ? statusLabel(ctx.reader.locale, h.to) : null,
      text.reason,
    ];
  });
  return { name: t(ctx, 'export:sheet.history'), columns, rows };
}
