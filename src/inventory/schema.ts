import { z } from 'zod';
import { inputProblem } from '../text/input-check.js';
import { checkCrossReferences } from './cross-references.js';
import { DEFAULT_VIRTUAL_ACCOUNT, type KnownIdentities } from './identities.js';

export { DEFAULT_VIRTUAL_ACCOUNT, NO_KNOWN_IDENTITIES, vaKey, type KnownIdentities } from './identities.js';

/**
 * The inventory file (INTERFACES.md §4). Every list may be absent; rows are keyed by their identities, so an
 * import updates what it finds and adds the rest. Unknown fields are refused: a misspelt `quantiy` would
 * otherwise be dropped without a word.
 */

/**
 * Every string the inventory stores: no character PostgreSQL refuses or no encoder can write (the check
 * every surface shares), and short enough for the database's indexes. An identifier or a name goes into
 * a B-tree index, whose entries hold at most 2,704 bytes: 200 characters of up to four bytes each, twice
 * in the composite ones, fit. A description or an address is only searched by trigram, or not at all.
 */
const MAX_NAME_LENGTH = 200;
const MAX_PROSE_LENGTH = 2000;

function storable(max: number) {
  return z.string().check((ctx) => {
    const problem = inputProblem(ctx.value, max);
    if (problem === undefined) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message:
        problem.kind === 'tooLong'
          ? `must be at most ${max} characters, not ${problem.length}`
          : `holds the character ${problem.character}, which cannot be stored`,
    });
  });
}

/** Blank strings count as absent: spreadsheets exported to JSON are full of them. */
const optionalText = (max = MAX_NAME_LENGTH) =>
  storable(max)
    .trim()
    .transform((s) => (s === '' ? null : s))
    .nullish();
const text = storable(MAX_NAME_LENGTH).trim().min(1, 'must not be empty');

const domainPattern =
  /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;
// Domains are case-insensitive by nature, so they are stored as users type them in chat: lower case.
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'must be at most 253 characters, as any domain is')
  .regex(domainPattern, 'must be a domain such as acme.fr');

const timeZone = z
  .string()
  .trim()
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris')
  .nullish();

export const LICENSE_TYPES = ['smart', 'classic', 'subscription'] as const;
export const PURCHASE_MODELS = ['standard', 'enterprise_agreement'] as const;
export const REGISTRATIONS = ['direct', 'cslu', 'ssm_onprem'] as const;
export const SA_ROLES = ['admin', 'user'] as const;
export const GLOBAL_ROLES = ['compliance', 'licensing_ops', 'bot_admin'] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

const legalEntitySchema = z.strictObject({
  id: text,
  name: text,
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as FR')
    .nullish(),
  address: optionalText(MAX_PROSE_LENGTH),
  parentId: optionalText(),
});

const virtualAccountSchema = z.strictObject({
  name: text,
  onPrem: z.boolean().default(false),
});

const smartAccountSchema = z.strictObject({
  domain,
  name: text,
  legalEntityId: optionalText(),
  virtualAccounts: z.array(virtualAccountSchema).optional(),
});

const userSchema = z.strictObject({
  email: z
    .string()
    .trim()
    .max(254, 'must be at most 254 characters, as any e-mail address is')
    .pipe(z.email('must be an e-mail address')),
  name: text,
  locale: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as fr, ja or en-GB')
    .nullish(),
  timeZone,
  legalEntityId: optionalText(),
  slackUserId: optionalText(),
  teamsUserId: optionalText(),
  roles: z.array(z.strictObject({ smartAccount: domain, role: z.enum(SA_ROLES) })).optional(),
  globalRoles: z
    .array(z.enum(GLOBAL_ROLES))
    .transform((roles) => [...new Set(roles)])
    .optional(),
});

// `.int()` would abort the whole parse on a fraction, hiding every other error of the file.
const wholeNumber = z.number().refine(Number.isInteger, 'must be a whole number');
// Quantities are PostgreSQL `integer` columns: 1e300 is a whole number too, but no row can hold it.
const INTEGER_MAX = 2_147_483_647;
const storableCount = (min: number, tooSmall: string) =>
  wholeNumber
    .refine((n) => n >= min, tooSmall)
    .refine((n) => n <= INTEGER_MAX, `must be at most ${INTEGER_MAX}`);
const quantity = storableCount(1, 'must be at least 1');

const minorLineSchema = z.strictObject({
  line: text,
  pid: text,
  quantity,
});

const licenseSchema = z.strictObject({
  smartAccount: domain,
  virtualAccount: text.default(DEFAULT_VIRTUAL_ACCOUNT),
  salesOrder: text,
  line: text,
  pid: text,
  description: optionalText(MAX_PROSE_LENGTH),
  quantity,
  licenseType: z.enum(LICENSE_TYPES),
  webOrder: optionalText(),
  subscriptionId: optionalText(),
  pak: optionalText(),
  purchaseModel: z.enum(PURCHASE_MODELS).default('standard'),
  pendingUpgrade: z.boolean().default(false),
  inUse: storableCount(0, 'must not be negative').default(0),
  reserved: z.boolean().default(false),
  minorLines: z.array(minorLineSchema).default([]),
});

const deviceSchema = z.strictObject({
  smartAccount: domain,
  virtualAccount: text.default(DEFAULT_VIRTUAL_ACCOUNT),
  serialNumber: text,
  pid: text,
  hostId: optionalText(),
  uuid: optionalText(),
  licenseType: z.enum(LICENSE_TYPES).nullish(),
  pnpStatus: optionalText(),
  salesOrder: optionalText(),
  registration: z.enum(REGISTRATIONS).default('direct'),
});

const inventoryShape = z.strictObject({
  // Lets editors validate the file against a published schema; ignored here.
  $schema: z.string().optional(),
  legalEntities: z.array(legalEntitySchema).optional(),
  smartAccounts: z.array(smartAccountSchema).optional(),
  users: z.array(userSchema).optional(),
  licenses: z.array(licenseSchema).optional(),
  devices: z.array(deviceSchema).optional(),
});

export type Inventory = z.output<typeof inventoryShape>;
export type InventoryLegalEntity = z.output<typeof legalEntitySchema>;
export type InventorySmartAccount = z.output<typeof smartAccountSchema>;
export type InventoryUser = z.output<typeof userSchema>;
export type InventoryLicense = z.output<typeof licenseSchema>;
export type InventoryDevice = z.output<typeof deviceSchema>;

export interface InventoryError {
  /** Where in the file, e.g. `licenses[3].quantity`; empty for the file as a whole. */
  path: string;
  message: string;
}

export type ParseInventoryResult =
  { ok: true; inventory: Inventory } | { ok: false; errors: InventoryError[] };

/** Validates a parsed JSON document: shapes, enumerations, then identities and references. Every error is reported. */
export function parseInventory(json: unknown, known: KnownIdentities): ParseInventoryResult {
  const schema = inventoryShape.superRefine(
    (value, ctx) =>
      checkCrossReferences(value, known, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
    {
      // Run even when some rows are malformed, so one pass reports every problem of the file.
      when: (payload) => isRecord(payload.value),
    },
  );
  const result = schema.safeParse(json, { error: friendlyMessage });
  if (result.success) return { ok: true, inventory: result.data };
  return { ok: false, errors: result.error.issues.flatMap(toInventoryErrors) };
}

/** `['licenses', 3, 'quantity']` → `licenses[3].quantity`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per error, for the command line and chat replies. */
export function formatInventoryErrors(errors: readonly InventoryError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
}

function toInventoryErrors(issue: z.core.$ZodIssue): InventoryError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** What a value of the file is, in the words of the file's errors. */
const KINDS: Record<string, string> = {
  object: 'an object ({…})',
  array: 'a list ([…])',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return KINDS.array!;
  if (typeof value === 'object' && value !== null) return KINDS.object!;
  return KINDS[typeof value] ?? typeof value;
}

function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'required';
  const expected = KINDS[issue.expected] ?? issue.expected;
  return `must be ${expected}, not ${issue.input === null ? 'null' : kindOf(issue.input)}`;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
