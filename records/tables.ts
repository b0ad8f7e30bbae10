/** CSV per RFC 4180: quote fields with commas, quotes or line breaks. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/** A GitHub-flavoured Markdown table; pipes and line breaks in cells are escaped. */
export function toMarkdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => v.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n') + '\n';
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
