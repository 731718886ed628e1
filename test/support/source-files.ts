import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every TypeScript and JavaScript source under the roots, wherever new files appear. */
export function sourceFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        const skipped =
          entry === 'node_modules' || entry === 'locales' || entry === 'migrations' || entry.startsWith('.');
        if (!skipped) walk(path);
      } else if (/\.(?:ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) {
        out.push(path);
      }
    }
  };
  for (const root of roots) if (existsSync(root)) walk(root);
  return out;
}
