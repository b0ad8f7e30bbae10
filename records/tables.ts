/** One CSV field per RFC 4180: quoted when it holds commas, quotes or line breaks. */
function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV record, with its line break. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\n`;
}

/** CSV per RFC 4180: quote fields with commas, quotes or line breaks. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map(csvLine).join('');
}

/** A Markdown table cell: pipes and line breaks are escaped. */
function markdownCell(v: string): string {
  return v.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** One row of a GitHub-flavoured Markdown table, with its line break. */
export function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map(markdownCell).join(' | ')} |\n`;
}

/** The header and separator lines of a Markdown table. */
export function markdownHeader(header: readonly string[]): string {
  return `${markdownRow(header)}| ${header.map(() => '---').join(' | ')} |\n`;
}

/** A GitHub-flavoured Markdown table; pipes and line breaks in cells are escaped. */
export function toMarkdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return markdownHeader(header) + rows.map(markdownRow).join('');
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
