import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { flatten, type Catalogs } from '../../src/i18n/catalog.js';
import { LOCALES } from '../../src/i18n/locale.js';

/**
 * Finds the message keys the bot's source code uses, so a test can check each is in every catalog.
 * Read with the TypeScript compiler rather than a regular expression, so a key built from a value
 * (`status:label.${status}`) is expanded from the value's type (the eleven statuses) instead of guessed.
 */

export interface FoundKey {
  key: string;
  /** `file:line` in the source, or `locale/namespace.json key` for a key nested in a catalog text. */
  where: string;
}

/** A key built from something whose values cannot be known from the code, so it cannot be checked. */
export interface Unverifiable {
  text: string;
  where: string;
  why: string;
}

export interface ScanResult {
  keys: FoundKey[];
  unverifiable: Unverifiable[];
}

// Calls whose string arguments are message keys: msg(key), refuse(code, key), translate(locale, key),
// a renderer's t(…, key), hasKey(locale, key), and request.ts's refusal helper no(code, key).
const KEY_FUNCTIONS = new Set(['msg', 'refuse', 'translate', 't', 'hasKey', 'no']);
const KEY_PROPERTIES = new Set([
  'key',
  'reasonKey',
  'noticeKey',
  'labelKey',
  'titleKey',
  'nextKey',
  'fieldKey',
]);

const FULL_KEY = /^([a-z][\w-]*):([A-Za-z_][\w-]*(?:\.[\w-]+)*)$/;
// The start of a key built in a template: `ns:` and at least one path segment ending in a dot.
const KEY_HEAD = /^([a-z][\w-]*):(?:[A-Za-z_][\w-]*\.)+$/;

/** Every TypeScript and JavaScript source under the roots, wherever new files appear. */
export function sourceFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (
          entry === 'node_modules' ||
          entry === 'locales' ||
          entry === 'migrations' ||
          entry.startsWith('.')
        )
          continue;
        walk(path);
      } else if (/\.(?:ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) {
        out.push(path);
      }
    }
  };
  for (const root of roots) if (existsSync(root)) walk(root);
  return out;
}

export function compilerOptions(tsconfigPath: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    { noEmit: true, allowJs: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfigPath}`);
  return parsed.options;
}

/**
 * Keys in the source: string literals shaped `namespace:path` of a known namespace anywhere, any
 * `x:path` literal passed to a key function or a `key:` property (so a namespace nobody created is
 * caught too), and template literals building a key, expanded over the values of their parts' types.
 */
export function scanSources(
  files: string[],
  namespaces: ReadonlySet<string>,
  options: ts.CompilerOptions,
  base: string,
): ScanResult {
  const program = ts.createProgram({ rootNames: files, options });
  const checker = program.getTypeChecker();
  const keys: FoundKey[] = [];
  const unverifiable: Unverifiable[] = [];
  const wanted = new Set(files);
  for (const sf of program.getSourceFiles()) {
    if (!wanted.has(sf.fileName)) continue;
    const where = (node: ts.Node) =>
      `${relative(base, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node)) {
        const match = FULL_KEY.exec(node.text);
        const position = keyPosition(node);
        // A `key:` property or variable also holds other things (dedupe keys): there a key has a dotted path.
        const keyLike = position === 'call' || (position === 'property' && node.text.includes('.'));
        if (match && (namespaces.has(match[1]!) || keyLike))
          keys.push({ key: node.text, where: where(node) });
      } else if (ts.isTemplateExpression(node)) {
        const position = keyPosition(node);
        const head = KEY_HEAD.exec(node.head.text);
        const candidate =
          position === 'call' || (head !== null && (namespaces.has(head[1]!) || position === 'property'));
        if (candidate) {
          const expanded = expandTemplate(checker, node);
          if (expanded.ok) for (const key of expanded.keys) keys.push({ key, where: where(node) });
          else unverifiable.push({ text: node.getText(sf), where: where(node), why: expanded.why });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { keys, unverifiable };
}

/** Whether a literal is an argument of a key function ('call'), or the value of a key-named property ('property'). */
function keyPosition(node: ts.Node): 'call' | 'property' | null {
  let child: ts.Node = node;
  let parent = node.parent;
  // Look through `cond ? 'a:b' : 'c:d'`, parentheses and `as` casts to the call or property.
  while (
    parent &&
    (ts.isConditionalExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent))
  ) {
    if (ts.isConditionalExpression(parent) && parent.condition === child) return null;
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return null;
  if (ts.isCallExpression(parent) && parent.arguments.includes(child as ts.Expression)) {
    const callee = parent.expression;
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : '';
    return KEY_FUNCTIONS.has(name) ? 'call' : null;
  }
  if (
    (ts.isPropertyAssignment(parent) || ts.isParameter(parent) || ts.isVariableDeclaration(parent)) &&
    parent.initializer === child
  ) {
    return ts.isIdentifier(parent.name) && KEY_PROPERTIES.has(parent.name.text) ? 'property' : null;
  }
  return null;
}

/** Every key a template can build, each part taking every value its type allows (a constant namespace too). */
function expandTemplate(
  checker: ts.TypeChecker,
  node: ts.TemplateExpression,
): { ok: true; keys: string[] } | { ok: false; why: string } {
  let prefixes = [node.head.text];
  for (const span of node.templateSpans) {
    const values = literalValues(checker, span.expression);
    if (!values) {
      const type = checker.typeToString(checker.getTypeAtLocation(span.expression));
      return {
        ok: false,
        why: `\${${span.expression.getText()}} is a ${type}: give it a union of literal types (e.g. \`as const\` on its list) so its keys can be checked`,
      };
    }
    prefixes = prefixes.flatMap((p) => values.map((v) => `${p}${v}${span.literal.text}`));
  }
  const notKeys = prefixes.filter((k) => !FULL_KEY.test(k));
  if (notKeys.length > 0)
    return { ok: false, why: `builds ${notKeys[0]}, which is not a namespace:path key` };
  return { ok: true, keys: prefixes };
}

/** The values an expression can take, when its type says so: a union of literals, or a `for … of [literals]`. */
function literalValues(checker: ts.TypeChecker, expr: ts.Expression): string[] | undefined {
  let type = checker.getTypeAtLocation(expr);
  // `key: K` with `K extends GrammarError`: the values are those of the constraint.
  if (type.flags & ts.TypeFlags.TypeParameter) type = checker.getBaseConstraintOfType(type) ?? type;
  const members = type.isUnion() ? type.types : [type];
  const values: string[] = [];
  for (const member of members) {
    if (member.isStringLiteral()) values.push(member.value);
    else if (member.isNumberLiteral()) values.push(String(member.value));
    else if (member.flags & ts.TypeFlags.BooleanLiteral) values.push(checker.typeToString(member));
    // A null or undefined part is guarded by the caller (`c.decision ? … : …`); it never reaches a key.
    else if (member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) continue;
    else return fromForOfList(checker, expr);
  }
  return values.length > 0 ? values : undefined;
}

function fromForOfList(checker: ts.TypeChecker, expr: ts.Expression): string[] | undefined {
  if (!ts.isIdentifier(expr)) return undefined;
  const declaration = checker.getSymbolAtLocation(expr)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration)) return undefined;
  const statement = declaration.parent.parent;
  if (!ts.isForOfStatement(statement) || !ts.isArrayLiteralExpression(statement.expression)) return undefined;
  const elements = statement.expression.elements;
  return elements.every(ts.isStringLiteralLike)
    ? elements.map((e) => (e as ts.StringLiteralLike).text)
    : undefined;
}

/**
 * Keys nested in catalog texts, `$t(status:label.{{status}})` and the like, with each `{{variable}}`
 * expanded over the values it is known to take.
 */
export function nestedKeys(
  catalogs: Catalogs,
  valueSets: Readonly<Record<string, readonly string[]>>,
): ScanResult {
  const keys: FoundKey[] = [];
  const unverifiable: Unverifiable[] = [];
  for (const locale of LOCALES) {
    for (const [namespace, catalog] of Object.entries(catalogs[locale])) {
      for (const [path, text] of flatten(catalog)) {
        const where = `${locale}/${namespace}.json ${path}`;
        for (const match of text.matchAll(/\$t\(([^)]*)\)/g)) {
          const inner = (match[1] ?? '').split(',')[0]!.trim();
          let expanded = [inner];
          for (const variable of new Set([...inner.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))) {
            const values = valueSets[variable];
            if (!values) {
              unverifiable.push({ text: match[0], where, why: `no known values for {{${variable}}}` });
              expanded = [];
              break;
            }
            const pattern = new RegExp(`\\{\\{\\s*${variable}\\s*\\}\\}`, 'g');
            expanded = expanded.flatMap((k) => values.map((v) => k.replace(pattern, v)));
          }
          for (const key of expanded) keys.push({ key, where });
        }
      }
    }
  }
  return { keys, unverifiable };
}
