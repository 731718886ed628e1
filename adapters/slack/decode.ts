/**
 * What Slack does to a typed line before we see it: `<mailto:a@b.c|a@b.c>` for e-mail addresses,
 * `<http://acme.com|acme.com>` for anything that looks like a domain, and `&amp;`, `&lt;`, `&gt;` for
 * the three characters mrkdwn reserves. The grammar wants the line as the person typed it.
 */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, (_all, _target: string, label: string) => label)
    .replace(
      /<(mailto:|tel:)?([^<>@#!][^<>]*)>/g,
      (_all, _scheme: string | undefined, target: string) => target,
    )
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
