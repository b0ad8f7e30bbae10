import { readFileSync } from 'fs';
import { join, resolve } from 'path';

const REPO = resolve(__dirname, '..', '..');

/** The fenced code blocks of a doc that follow a `<!-- example: NAME -->` marker, by name. */
export function docExamples(doc: string): Map<string, string> {
  const text = readFileSync(join(REPO, doc), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/<!-- example: ([\w. -]+?) -->\s*```\w*\n([\s\S]*?)```/g)) out.set(m[1], m[2]);
  return out;
}

export function docText(doc: string): string {
  return readFileSync(join(REPO, doc), 'utf8');
}
