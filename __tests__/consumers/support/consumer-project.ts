import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { CdkFramework, FRAMEWORK_PREFERENCE, findFrameworkCli, FrameworkCli } from '../../../framework';
import { terraformEnvironment } from '../../../cli/terraform-runtime';
import { CommandResult, runCommand } from '../../support/run-command';
import { E2E_RECORD_KEY, E2E_TOKEN, E2E_WS, OWNER, UNMANAGED } from '../../support/e2e';
import { e2eDefinition } from '../../support/e2e-definitions';
import type { RunningEmulator } from '../../../emulator/server';
import { NOW_CONTEXT_KEY } from '../../../constructs/synth-clock';
import { TEST_NOW } from '../../support/synth';
import { docExamples } from '../../support/doc-examples';
import { FRAMEWORK_PACKAGES, TOOL_PACKAGES } from '../../../scaffold/versions';

const REPO = resolve(__dirname, '..', '..', '..');

/** What a team installs for each framework (npm registry): the versions `segment-access init` pins (scaffold/versions.ts). */
export const CONSUMER_PACKAGES: Readonly<Record<CdkFramework, { readonly dependencies: Record<string, string>; readonly devDependencies: Record<string, string> }>> = {
  [CdkFramework.CDKTN]: { dependencies: { ...FRAMEWORK_PACKAGES.cdktn.dependencies }, devDependencies: { ...FRAMEWORK_PACKAGES.cdktn.devDependencies, typescript: TOOL_PACKAGES.typescript } },
  [CdkFramework.CDKTF]: { dependencies: { ...FRAMEWORK_PACKAGES.cdktf.dependencies }, devDependencies: { ...FRAMEWORK_PACKAGES.cdktf.devDependencies, typescript: TOOL_PACKAGES.typescript } },
};

/** The framework a CI line tests, from SEGMENT_ACCESS_CONSUMER_FRAMEWORK (set by .ci/run): never a silent default. */
export function consumerFramework(env: NodeJS.ProcessEnv = process.env): CdkFramework {
  const value = env.SEGMENT_ACCESS_CONSUMER_FRAMEWORK;
  if (!FRAMEWORK_PREFERENCE.includes(value as CdkFramework)) {
    throw new Error(`SEGMENT_ACCESS_CONSUMER_FRAMEWORK: received ${JSON.stringify(value)}; allowed: cdktf or cdktn. .ci/run sets it for each framework line.`);
  }
  return value as CdkFramework;
}

/** segment-access as npm publishes it: `npm pack` of this repo (dist/ is current: jest's global setup builds it). */
export async function packTarball(into: string): Promise<string> {
  const packed = await runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' }, REPO);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  return join(into, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
}

/** The e2e workspace of this repo's own tests, as the team's literal (its environment as the enum). */
const { environment: _environment, ...workspace } = e2eDefinition([]).workspaces.prod!;
const WORKSPACE_FIELDS = JSON.stringify(workspace).slice(1, -1);

/** The team's access definition: two agency service accounts in the emulator's e2e workspace. */
const ACCESS_TS = `import { AccessDefinition, AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from 'segment-access';

const agency = (name: string) => ({
  id: name,
  email: \`\${name.toLowerCase()}@agency.example\`,
  displayName: name,
  organization: 'Agency',
  kind: CollaboratorKind.SERVICE_ACCOUNT,
  requestedBy: 'lead@acme.example',
  approvedBy: 'cto@acme.example',
  ticket: 'ACCESS-7',
});

export const ACCESS: AccessDefinition = {
  workspaces: {
    [Environment.PROD]: { environment: Environment.PROD, ${WORKSPACE_FIELDS} },
  },
  collaborators: [
    { ...agency('Ana'), grant: { role: WorkspaceRole.MEMBER, justification: 'Ana needs MEMBER for the engagement.', sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } } },
    { ...agency('Bo'), grant: { role: WorkspaceRole.READ_ONLY, justification: 'Bo needs READ_ONLY for the engagement.' } },
  ],
};
`;

export const CDK_TERRAIN_DOC = join('docs', 'cdk-terrain.md');

/** The app: docs/cdk-terrain.md's main.ts, verbatim on cdktn (and with cdktf's App on cdktf), so the doc's example is what CI runs. */
export function consumerMainTs(framework: CdkFramework): string {
  const example = docExamples(CDK_TERRAIN_DOC).get('main.ts');
  const appImport = (name: CdkFramework) => `import { App } from '${name}';`;
  if (example === undefined || !example.includes(appImport(CdkFramework.CDKTN))) throw new Error(`${CDK_TERRAIN_DOC} lost its main.ts example (App imported from cdktn)`);
  return example.replace(appImport(CdkFramework.CDKTN), appImport(framework));
}

/**
 * tsconfig of the cdktf init template's kind (strict, skipLibCheck). On CDK Terrain, with the doc's
 * `paths` line: segment-access's types (declared against cdktf's) resolve to cdktn's.
 */
export function consumerTsconfig(framework: CdkFramework): Record<string, unknown> {
  const docPaths = (JSON.parse(docExamples(CDK_TERRAIN_DOC).get('tsconfig paths') ?? '{}') as { compilerOptions?: { paths?: unknown } }).compilerOptions?.paths;
  const paths = framework === CdkFramework.CDKTN ? { paths: docPaths } : {};
  return { compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noUnusedLocals: true, skipLibCheck: true, types: [], outDir: 'build', ...paths }, files: ['main.ts'] };
}

/** A team's infra repo: segment-access from the packed tarball, ONE framework from the npm registry, real terraform. */
export class ConsumerProject {
  public readonly logs: string[] = [];
  public readonly cli: FrameworkCli;

  private constructor(
    public readonly dir: string,
    public readonly framework: CdkFramework,
  ) {
    this.cli = findFrameworkCli(dir, {});
  }

  /** Writes the project and runs `npm install` (network: the npm registry only). */
  public static async create(framework: CdkFramework, tarball: string): Promise<ConsumerProject> {
    const dir = mkdtempSync(join(tmpdir(), `sa-consumer-${framework}-`));
    const packages = CONSUMER_PACKAGES[framework];
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `acme-segment-access-${framework}`, version: '1.0.0', private: true, dependencies: { 'segment-access': `file:${tarball}`, ...packages.dependencies }, devDependencies: packages.devDependencies }, null, 2),
    );
    // Synth's "now" pinned through the framework's context (the grants' expiry must not depend on the test date).
    const context = { [NOW_CONTEXT_KEY]: TEST_NOW };
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node build/main.js', projectId: `acme-${framework}`, sendCrashReports: 'false', context }, null, 2));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(consumerTsconfig(framework), null, 2));
    writeFileSync(join(dir, 'access.ts'), ACCESS_TS);
    writeFileSync(join(dir, 'main.ts'), consumerMainTs(framework));
    const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' }, dir);
    if (install.code !== 0) throw new Error(`npm install in the ${framework} consumer failed:\n${install.stdout}\n${install.stderr}`);
    return new ConsumerProject(dir, framework);
  }

  /** Whether a package is installed in the project (anywhere in its node_modules tree). */
  public installed(name: string): boolean {
    const lock = JSON.parse(readFileSync(join(this.dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    return Object.keys(lock.packages).some((path) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`)) || existsSync(join(this.dir, 'node_modules', name));
  }

  /** Type-checks and compiles the app with the project's own TypeScript. */
  public async compile(): Promise<CommandResult> {
    return this.record(await runCommand(process.execPath, [join(this.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], this.baseEnv({}), this.dir));
  }

  /** The environment of a team's CI job: tokens from variables, the executor's clock pinned, no colour. */
  public baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return terraformEnvironment({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TF_CLI_CONFIG_FILE: process.env.TF_CLI_CONFIG_FILE,
      CI: '1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      CHECKPOINT_DISABLE: '1',
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      SEGMENT_ACCESS_NOW: TEST_NOW,
      SEGMENT_ACCESS_AUDIT_DELAY_MS: '0',
      ...extra,
    });
  }

  /** `<framework> <args>` with the project's own CLI, as the team runs it. */
  public async run(args: string[], emulatorUrl: string): Promise<CommandResult> {
    // The deploy job's secrets: the workspace's token and the record key (docs/record-of-managed-users.md).
    const env = this.baseEnv({ PUBLIC_API_URL: emulatorUrl, SEGMENT_E2E_TOKEN: E2E_TOKEN, SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY });
    return this.record(await runCommand(process.execPath, [this.cli.script, ...args], env, this.dir));
  }

  /** Runs a CLI command that must succeed; on failure the error carries its whole output. */
  public async succeed(args: string[], emulator: RunningEmulator): Promise<string> {
    const result = await this.run(args, emulator.url);
    if (result.code !== 0) throw new Error(`${this.framework} ${args.join(' ')} failed (exit ${result.code}):\n${plainOutput(result)}`);
    return plainOutput(result);
  }

  /** The first deploy: terraform creates the release anchor and the reconciler, which invites both declared people and records them. */
  public async deployInvitingBoth(emulator: RunningEmulator): Promise<void> {
    expect(await this.succeed(['deploy', 'prod', '--auto-approve'], emulator)).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed\./);
    expect(emulator.state.listInvites(E2E_WS).map((i) => i.email).sort()).toEqual(['ana@agency.example', 'bo@agency.example']);
    expect(emulator.state.listGroups(E2E_WS).some((g) => g.name.startsWith('segment-access:'))).toBe(true);
  }

  /** A command that must find nothing to do: terraform's "No changes", and not one Segment API call. */
  public async expectNoChange(args: string[], emulator: RunningEmulator): Promise<void> {
    const before = emulator.stats();
    expect(await this.succeed(args, emulator)).toContain('No changes. Your infrastructure matches the configuration.');
    expect(emulator.stats()).toMatchObject({ requests: before.requests, writes: before.writes });
  }

  /** destroy: the release anchor removes exactly what the code manages (the owner and the unmanaged member stay). */
  public async destroyReleasing(emulator: RunningEmulator): Promise<void> {
    expect(await this.succeed(['destroy', 'prod', '--auto-approve'], emulator)).toMatch(/Destroy complete! Resources: 2 destroyed\./);
    expect(emulator.state.listInvites(E2E_WS)).toEqual([]);
    expect(emulator.state.listUsers(E2E_WS).map((u) => u.email).sort()).toEqual([OWNER, UNMANAGED].sort());
    expect(emulator.state.listGroups(E2E_WS).filter((g) => g.name.startsWith('segment-access:'))).toEqual([]);
  }

  public stackFile(name: string): string {
    return join(this.dir, 'cdktf.out', 'stacks', 'prod', name);
  }

  /** The synthesized Terraform JSON without cdktf's metadata block (which names the framework and its version). */
  public terraformJson(): Record<string, unknown> {
    const { '//': _metadata, ...rest } = JSON.parse(readFileSync(this.stackFile('cdk.tf.json'), 'utf8')) as Record<string, unknown>;
    return rest;
  }

  public get stateFile(): string {
    return join(this.dir, 'terraform.prod.tfstate');
  }

  public copyStateFrom(other: ConsumerProject): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.stateFile, readFileSync(other.stateFile));
  }

  public remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private record(result: CommandResult): CommandResult {
    this.logs.push(result.stdout, result.stderr);
    return result;
  }
}

/** Output with the CLIs' colour codes and spinners removed. */
export function plainOutput(result: CommandResult): string {
  // eslint-disable-next-line no-control-regex
  return `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
