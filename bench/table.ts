export interface Row {
  readonly measure: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  /** true/false when the row has a target, undefined when it is for information. */
  readonly met?: boolean;
}

const HEADERS = ['measure', 'ours', 'baseline', 'ratio', 'target', 'met?'];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**NO**';
    lines.push(`| ${[r.measure, r.ours, r.baseline, r.ratio, r.target, met].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function seconds(value: number): string {
  if (value >= 120_000) return `${(value / 60_000).toFixed(1)} min`;
  return `${(value / 1000).toFixed(1)} s`;
}

export function mb(value: number): string {
  return `${value.toFixed(0)} MB`;
}

export function ratio(ours: number, baseline: number): string {
  return `${(ours / baseline).toFixed(2)}x`;
}

export function int(n: number): string {
  return n.toLocaleString('en-US');
}
