import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { flatten, type Catalog } from '../../src/i18n/catalog.js';

/**
 * The glossaries under src/i18n/glossary: per language, the term each concept takes (quoted from the
 * seed documents where they have it) and the variants a catalog must not use. The checks here walk
 * every value of every namespace, so a key or a namespace added later is held to the same words.
 */

export const GLOSSARY_DIR = fileURLToPath(new URL('../../src/i18n/glossary/', import.meta.url));

const forbiddenSchema = z.union([
  z.string().min(1),
  z.object({ regex: z.string().min(1), flags: z.string().regex(/^u?$/).optional() }).strict(),
]);

const termSchema = z
  .object({
    concept: z.string().min(1),
    use: z.string().min(1),
    seed: z.string().min(1).nullable(),
    note: z.string().min(1).optional(),
    forbidden: z.array(forbiddenSchema).min(1),
  })
  .strict()
  // A term the seed does not have must say where its wording comes from.
  .refine((term) => term.seed !== null || term.note !== undefined, {
    message: 'a term without a seed quote needs a note',
  });

const ruleSchema = z.object({ rule: z.string().min(1), forbidden: z.array(forbiddenSchema).min(1) }).strict();

const verbatimSchema = z
  .object({ keyPrefix: z.string().regex(/^[a-z][\w-]*:/), why: z.string().min(1) })
  .strict();

const glossarySchema = z
  .object({
    language: z.string().min(2),
    source: z.string().min(1),
    // Keys whose values quote something as it is shown elsewhere (the portal's English names).
    verbatim: z.array(verbatimSchema).default([]),
    terms: z.array(termSchema).min(1),
    rules: z.array(ruleSchema),
  })
  .strict();

export type Glossary = z.infer<typeof glossarySchema>;
type Forbidden = z.infer<typeof forbiddenSchema>;

/** Every glossary file, by language; a malformed one throws with its path. */
export function loadGlossaries(dir: string = GLOSSARY_DIR): Map<string, Glossary> {
  const out = new Map<string, Glossary>();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const file of files.sort()) {
    const path = join(dir, file);
    const parsed = glossarySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.message}`);
    if (parsed.data.language !== basename(file, '.json'))
      throw new Error(`${path}: says it is for ${parsed.data.language}`);
    out.set(parsed.data.language, parsed.data);
  }
  return out;
}

/**
 * Why a pattern could backtrack on a long value, or undefined if it cannot: no back-references and
 * no quantified group that itself holds a quantifier or an alternation. Conservative on purpose.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return 'a back-reference';
  // Per open group: whether it holds a quantifier or an alternation.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') stack.push(false);
    else if (ch === ')') {
      const risky = stack.pop() ?? false;
      const next = pattern[i + 1];
      if (risky && (next === '*' || next === '+' || next === '{'))
        return 'a repeated group with a repetition inside';
      // What a group holds, its parent holds too.
      if (stack.length > 0 && risky) stack[stack.length - 1] = true;
    } else if (ch === '*' || ch === '+' || ch === '{' || ch === '|') {
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return undefined;
}

function compile(forbidden: Forbidden): { matches: (text: string) => string | undefined; label: string } {
  if (typeof forbidden === 'string') {
    return {
      label: JSON.stringify(forbidden),
      matches: (text) => (text.includes(forbidden) ? forbidden : undefined),
    };
  }
  const risk = backtrackingRisk(forbidden.regex);
  if (risk) throw new Error(`/${forbidden.regex}/ has ${risk}: keep glossary patterns linear`);
  const regex = new RegExp(forbidden.regex, forbidden.flags ?? '');
  return { label: `/${forbidden.regex}/`, matches: (text) => regex.exec(text)?.[0] };
}

/** One catalog value that uses a forbidden variant. */
export interface Finding {
  key: string;
  found: string;
  forbidden: string;
  /** The term to write instead, or the rule broken. */
  instead: string;
}

/** Every value of every namespace of one language checked against its glossary. */
export function glossaryFindings(glossary: Glossary, namespaces: Record<string, Catalog>): Finding[] {
  const checks = [
    ...glossary.terms.map((term) => ({
      instead: `${term.concept} → ${term.use}`,
      forbidden: term.forbidden,
    })),
    ...glossary.rules.map((rule) => ({ instead: rule.rule, forbidden: rule.forbidden })),
  ].flatMap(({ instead, forbidden }) => forbidden.map((f) => ({ instead, ...compile(f) })));
  const quoted = (key: string) => glossary.verbatim.some((v) => key.startsWith(v.keyPrefix));
  const findings: Finding[] = [];
  for (const [namespace, catalog] of Object.entries(namespaces)) {
    for (const [path, text] of flatten(catalog)) {
      if (quoted(`${namespace}:${path}`)) continue;
      for (const check of checks) {
        const found = check.matches(text);
        if (found !== undefined)
          findings.push({
            key: `${namespace}:${path}`,
            found,
            forbidden: check.label,
            instead: check.instead,
          });
      }
    }
  }
  return findings;
}

/** The terms of a glossary that no catalog value of its language uses: a glossary gone stale. */
export function unusedTerms(glossary: Glossary, namespaces: Record<string, Catalog>): string[] {
  const texts = Object.values(namespaces).flatMap((catalog) =>
    [...flatten(catalog).values()].map((t) => t.toLocaleLowerCase(glossary.language)),
  );
  return glossary.terms
    .filter((term) => !texts.some((t) => t.includes(term.use.toLocaleLowerCase(glossary.language))))
    .map((term) => `${term.concept} → ${term.use}`);
}

export function describeFinding(locale: string, f: Finding): string {
  return `${locale} ${f.key}: “${f.found}” (${f.forbidden}) — ${f.instead}`;
}
