import { E2E_RECORD_KEY } from './e2e';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { FRAMEWORK } from '../../framework';
import { startEmulator, RunningEmulator } from '../../emulator/server';
import type { Seed } from '../../emulator/seed';
import { findRoleById } from '../../emulator/roles';
import { deployStackLogged, DeployResult } from './terraform';
import { CommandResult, runCommand } from './run-command';
import { IMPORT_TOKEN_ENV, IMPORT_TOKENS, IMPORT_WS, importSeed } from './import-seed';
import { TEST_NOW } from './synth';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
export const ENVS = ['prod', 'staging', 'dev'] as const;
export type Env = (typeof ENVS)[number];

/** The arguments of one `import` of the workspaces of `envs`. */
export function importArgs(out: string, extra: string[] = [], envs: readonly Env[] = ENVS): string[] {
  return [
    'import',
    ...envs.flatMap((env) => ['--environment', env, '--workspace-id', IMPORT_WS[env], '--token-env', IMPORT_TOKEN_ENV[env]]),
    '--out',
    out,
    ...extra,
  ];
}

/**
 * An adopting team's repo: the emulator holding their live workspaces, a project directory where
 * `segment-access` is an installed package (a symlink to this repo, as `npm install` of a checkout
 * would make it), the generated module, an app that builds prod, staging and dev from it, and the
 * real terraform binary.
 */
export class ImportWorld {
  public readonly dir = mkdtempSync(join(tmpdir(), 'sa-import-'));
  public readonly logs: string[] = [];

  private constructor(
    public readonly emulator: RunningEmulator,
    /** The environments the team adopts (imports, synthesizes and deploys). */
    public readonly envs: readonly Env[],
  ) {
    mkdirSync(join(this.dir, 'node_modules'));
    // The framework this repo runs on (cdktf or cdktn), as the team's own dependency.
    for (const [name, target] of [['segment-access', REPO], [FRAMEWORK.name, dirname(require.resolve(`${FRAMEWORK.name}/package.json`))], ['constructs', dirname(require.resolve('constructs/package.json'))]]) {
      symlinkSync(target, join(this.dir, 'node_modules', name));
    }
    writeFileSync(
      join(this.dir, 'main.ts'),
      [
        `import { App } from '${FRAMEWORK.name}';`,
        "import { Environment, NOW_CONTEXT_KEY, SegmentAccessStack } from 'segment-access';",
        "import { ACCESS } from './access';",
        '',
        `const app = new App({ outdir: 'cdktf.out', context: { [NOW_CONTEXT_KEY]: '${TEST_NOW}' } });`,
        `for (const environment of [${envs.map((e) => `Environment.${e.toUpperCase()}`).join(', ')}]) {`,
        '  new SegmentAccessStack(app, environment, { definition: ACCESS, environment });',
        '}',
        'app.synth();',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(this.dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noUnusedLocals: true, noUnusedParameters: true, esModuleInterop: true, skipLibCheck: true, types: [], outDir: 'build' }, files: ['main.ts'] }),
    );
  }

  public static async start(seed: Seed = importSeed(), envs: readonly Env[] = ENVS): Promise<ImportWorld> {
    return new ImportWorld(await startEmulator({ seed, rateLimit: { writesPerWindow: 1000, windowMs: 60_000 } }), envs);
  }

  public get env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PUBLIC_API_URL: this.emulator.url,
      SEGMENT_ACCESS_NOW: TEST_NOW,
      SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY,
      ...Object.fromEntries(ENVS.map((env) => [IMPORT_TOKEN_ENV[env], IMPORT_TOKENS[env]])),
    };
  }

  /** `segment-access import` with the built CLI, as a team runs it. */
  public async import(out = 'access.ts', extra: string[] = [], env: NodeJS.ProcessEnv = this.env): Promise<CommandResult> {
    const result = await runCommand(process.execPath, [CLI, ...importArgs(out, extra, this.envs)], env, this.dir);
    this.logs.push(result.stdout, result.stderr);
    return result;
  }

  public read(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }

  /** Type-checks the app and the generated module (strict, no unused names), then runs the app's synth. */
  public async synth(): Promise<CommandResult> {
    rmSync(join(this.dir, 'cdktf.out'), { recursive: true, force: true });
    const compiled = await runCommand(process.execPath, [TSC, '-p', 'tsconfig.json'], this.env, this.dir);
    if (compiled.code !== 0) return compiled;
    const result = await runCommand(process.execPath, [join('build', 'main.js')], this.env, this.dir);
    this.logs.push(result.stdout, result.stderr);
    return result;
  }

  public write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  public stackDir(env: Env): string {
    return join(this.dir, 'cdktf.out', 'stacks', env);
  }

  /** `cdktf deploy` of one stack with the real terraform binary. */
  public async deploy(env: Env): Promise<DeployResult> {
    return deployStackLogged(this.logs, this.stackDir(env), this.env);
  }

  /** Everyone's access in every workspace, as Segment holds it (record groups apart). */
  public access(): Record<string, unknown> {
    const names = (permissions: { roleId: string; resources: { id: string; type: string; labels: { key: string; value: string }[] }[] }[]) =>
      permissions
        .flatMap((p) => p.resources.map((r) => `${findRoleById(p.roleId)?.name}@${r.type}:${r.id}${r.labels.map((l) => `[${l.key}=${l.value}]`).join('')}`))
        .sort();
    return Object.fromEntries(
      ENVS.map((env) => {
        const ws = IMPORT_WS[env];
        const state = this.emulator.state;
        return [
          env,
          {
            users: state.listUsers(ws).map((u) => ({ email: u.email, id: u.id, permissions: names(u.permissions) })),
            invites: state.listInvites(ws).map((i) => ({ email: i.email, invitedAt: i.invitedAt, permissions: names(i.permissions) })),
            groups: state
              .listGroups(ws)
              .filter((g) => !g.name.startsWith('segment-access:'))
              .map((g) => ({ name: g.name, members: g.memberEmails, permissions: names(g.permissions) })),
          },
        ];
      }),
    );
  }

  public recordGroups(env: Env) {
    return this.emulator.state.listGroups(IMPORT_WS[env]).filter((g) => g.name.startsWith('segment-access:'));
  }

  public async stop(): Promise<void> {
    await this.emulator.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
