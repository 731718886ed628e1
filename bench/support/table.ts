import type { BenchOutcome } from './results.js';
import type { Machine } from './machine.js';

function format(value: number | null): string {
  // A figure that could not be measured crosses the process boundary as null (JSON has no NaN).
  if (value === null || Number.isNaN(value)) return '—';
  return Number.isInteger(value)
    ? value.toLocaleString('en')
    : value.toLocaleString('en', { maximumFractionDigits: 3 });
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return '';
  return met ? 'met' : '**missed**';
}

/** The results as a Markdown table: readable in a terminal and pasted as is into the README. */
export function markdownTable(outcomes: BenchOutcome[]): string {
  const lines = ['| benchmark | value | target | |', '| --- | ---: | --- | --- |'];
  for (const o of outcomes) {
    if (o.error) {
      // A benchmark that ran but failed its own check keeps its figures, with the failure under them.
      const verdict = o.results.length > 0 ? '**failed**' : '**did not run**';
      lines.push(`| ${o.bench} | — | | ${verdict}: ${o.error.split('\n')[0]} |`);
      if (o.results.length === 0) continue;
    }
    for (const r of o.results) {
      const sides =
        r.numerator && r.denominator
          ? ` (${format(r.numerator.value)} ${r.numerator.unit} / ${format(r.denominator.value)} ${r.denominator.unit})`
          : '';
      lines.push(
        `| ${r.name} | ${format(r.value)}${r.unit ? ` ${r.unit}` : ''}${sides} | ${r.target ?? ''} | ${verdict(r.met)} |`,
      );
    }
  }
  return lines.join('\n');
}

export function describeMachineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}; database: ${m.database}; load average at start ${m.loadAverage}`;
}

export function notes(outcomes: BenchOutcome[]): string[] {
  const stolen = outcomes
    .filter((o) => o.stolenPercent != null)
    .map((o) => `${o.bench} ${o.stolenPercent} %`)
    .join(', ');
  return [
    ...outcomes.flatMap((o) => o.results.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`)),
    ...(stolen ? [`- CPU time the host took away from this machine while each ran (steal): ${stolen}`] : []),
  ];
}
