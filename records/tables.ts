import { csvCell, markdownText } from '../model/output-encoding';

/** One CSV record (cells encoded by `csvCell`), with its line break: for writers that stream rows. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

/** One row of a GitHub-flavoured Markdown table (cells encoded by `markdownText`), with its line break. */
export function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map(markdownText).join(' | ')} |\n`;
}

/** The header and separator lines of a Markdown table. */
export function markdownHeader(header: readonly string[]): string {
  return `${markdownRow(header)}| ${header.map(() => '---').join(' | ')} |\n`;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
