import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initI18n, translate } from '../src/i18n/index.js';
import { STATUSES, TERMINAL_STATUSES, TRANSITIONS } from '../src/domain/status.js';

/**
 * The README's picture of the workflow: a Mermaid state diagram (GitHub and GitLab draw it) written from
 * src/domain/status.ts, with the portal's English names. `npm run docs:diagram` rewrites it between the
 * markers; test/domain/status-diagram.test.ts fails when the two disagree.
 */

export const BEGIN =
  '<!-- status-diagram:begin — generated from src/domain/status.ts by `npm run docs:diagram` -->';
export const END = '<!-- status-diagram:end -->';
export const README = fileURLToPath(new URL('../README.md', import.meta.url));

export function statusDiagram(): string {
  initI18n();
  const lines = ['```mermaid', 'stateDiagram-v2'];
  for (const status of STATUSES) {
    lines.push(`    state "${translate('en', `status:label.${status}`)}" as ${status}`);
  }
  lines.push(`    [*] --> ${STATUSES[0]}`);
  for (const from of STATUSES) {
    for (const to of TRANSITIONS[from]) lines.push(`    ${from} --> ${to}`);
  }
  for (const status of TERMINAL_STATUSES) lines.push(`    ${status} --> [*]`);
  lines.push('```');
  return lines.join('\n');
}

/** The README with the diagram between the markers replaced by `diagram`. */
export function withDiagram(readme: string, diagram: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`README.md lacks the markers ${BEGIN} … ${END}`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${diagram}\n${readme.slice(end)}`;
}

/** What the README holds between the markers now. */
export function diagramInReadme(readme: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin) return '';
  return readme.slice(begin + BEGIN.length, end).trim();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync(README, 'utf8');
  const updated = withDiagram(readme, statusDiagram());
  if (updated !== readme) writeFileSync(README, updated);
  process.stdout.write(
    updated === readme ? 'README.md: diagram already current\n' : 'README.md: diagram rewritten\n',
  );
}
