import type ExcelJS from 'exceljs';
import type { Block } from '../../adapters/slack/render/blocks.js';

/**
 * French puts a no-break space (U+00A0, or the narrow U+202F) before « : ; ! ? » and inside « … »,
 * and never quotes words with straight double quotes. What is not prose is left out of the check:
 * Slack emoji codes (:warning:), clock times (14:05), URLs, references and ids (SO:104875519,
 * AT-12AB), command syntax a person types as written (reason:"…", to:acme.com/"Lyon Lab"), and the
 * entities Slack's mrkdwn writes &, < and > as (`&lt;bob@be.example&gt;`).
 */
export function typographyFaults(text: string): string[] {
  const prose = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/&(?:amp|lt|gt);/g, ' ')
    .replace(/\d:\d/g, ' ')
    .replace(/[\w.@-]+:(?:[\w.@-]+\/)?"[^"\n]*"/g, ' ');
  const around = (index: number) => JSON.stringify(prose.slice(Math.max(0, index - 30), index + 4));
  const faults: string[] = [];
  // A sign of the four closes a word or a phrase when a space, the end or markup follows it.
  for (const m of prose.matchAll(/[^\u00a0\u202f\n][:;!?](?=[\s*_)»]|$)/gu))
    faults.push(`space before ${m[0].slice(1)}: ${around(m.index + 1)}`);
  for (const m of prose.matchAll(/"[^"\n]*"/g)) faults.push(`straight quotes: ${around(m.index)}`);
  for (const m of prose.matchAll(/«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»/g))
    faults.push(`guillemet without no-break space: ${around(m.index)}`);
  return faults;
}

/** Every text of a Block Kit message (sections, fields, context, buttons, the notification text). */
export function slackTexts(message: { text?: string; blocks: Block[] }): string {
  const json = JSON.stringify(message.blocks);
  const texts = [...json.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map(
    (m) => JSON.parse(`"${m[1]}"`) as string,
  );
  return [message.text ?? '', ...texts].join('\n');
}

/** Every text cell of a workbook, sheet names included, as one text to check. */
export function workbookText(workbook: ExcelJS.Workbook): string {
  const out: string[] = [];
  for (const sheet of workbook.worksheets) {
    out.push(sheet.name);
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') out.push(cell.value);
      }),
    );
  }
  return out.join('\n');
}
