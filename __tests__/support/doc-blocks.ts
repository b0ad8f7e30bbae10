import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { runCommand } from './run-command';

const REPO = resolve(__dirname, '..', '..');

/** Every page a reader is sent to: the README and each guide in docs/. */
export const DOC_FILES: readonly string[] = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** A fenced block of a doc, and the marker comment right before it, if any. */
export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  /** `checked: setup` for `<!-- checked: setup -->` (also `example:` and `docs-example:` markers). */
  readonly marker?: { readonly kind: string; readonly name: string };
}

export function docBlocks(file: string): DocBlock[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const out: DocBlock[] = [];
  const re = /(?:<!-- (checked|example|docs-example): ([^>]+?) -->\n)?^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index + (m[1] ? m[0].indexOf('```') : 0)).split('\n').length;
    out.push({ file, line, lang: m[3], text: m[4], marker: m[1] ? { kind: m[1], name: m[2] } : undefined });
  }
  return out;
}

/** The block a `<!-- checked: NAME -->` marker names in a doc (its text). */
export function checkedBlock(file: string, name: string): string {
  const found = docBlocks(file).filter((b) => b.marker?.kind === 'checked' && b.marker.name === name);
  if (found.length !== 1) throw new Error(`${file} has ${found.length} blocks marked "checked: ${name}"`);
  return found[0].text;
}

/** The non-empty lines of a block. */
export const blockLines = (text: string): string[] => text.split('\n').filter((l) => l.trim());

/**
 * Whether quoted output lines appear in real output, in order: each line as it is, except that "..."
 * stands for any text (a line cut short) and runs of spaces compare equal.
 */
export function quotedIn(quoted: readonly string[], actual: readonly string[]): { ok: true } | { ok: false; missing: string } {
  const squeeze = (s: string) => s.trim().replace(/\s+/g, ' ');
  const pattern = (line: string) => new RegExp(`^${squeeze(line).split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  let from = 0;
  for (const line of quoted) {
    const re = pattern(line);
    const at = actual.findIndex((a, i) => i >= from && re.test(squeeze(a)));
    if (at < 0) return { ok: false, missing: line };
    from = at + 1;
  }
  return { ok: true };
}

/**
 * Runs a bash block's commands one by one (comments removed, `\` continuations joined), each followed
 * by a line `exit=<code>`; `replace` rewrites a command before it runs (e.g. a placeholder value).
 */
export async function runBashBlock(
  text: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  replace: (command: string) => string = (c) => c,
): Promise<{ commands: string[]; codes: number[]; output: string }> {
  const commands = bashCommands(text).map(replace);
  const script = commands.map((c) => `${c}\necho "exit=$?"`).join('\n');
  const result = await runCommand('bash', ['-c', script], env, cwd);
  return { commands, codes: [...result.stdout.matchAll(/^exit=(\d+)$/gm)].map((m) => Number(m[1])), output: `${result.stdout}${result.stderr}` };
}

/** A bash block's commands: `\` continuations joined, comment lines and trailing comments removed. */
export function bashCommands(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => stripComment(l).trim())
    .filter(Boolean);
}

/** A line without its comment: from a `#` that starts a word outside quotes. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}
