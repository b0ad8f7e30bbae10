import { existsSync, readFileSync } from 'fs';
import { basename, join } from 'path';
import { CdkFramework } from '../framework/framework-choice';
import { APP_ID_PATTERN } from '../model/desired-state';
import { FRAMEWORK_PACKAGES, NODE_ENGINES, TOOL_PACKAGES } from './versions';
import { renderWorkspacesModule, scaffoldSeed, scaffoldWorkspaces } from './workspaces';

/** A file of the new repo: its path (relative, with "/") and its text. */
export interface ScaffoldFile {
  readonly path: string;
  readonly text: string;
}

export interface ScaffoldOptions {
  /** The repo's name (its package name, and the README's title). */
  readonly name: string;
  /** Names the record of managed users in each workspace (APP_ID_PATTERN). */
  readonly appId: string;
  /** @default CdkFramework.CDKTF */
  readonly framework?: CdkFramework;
  /** The segment-access version the repo depends on (`^version`). */
  readonly segmentAccessVersion: string;
  /** The day the repo is made (YYYY-MM-DD): pins the snapshot test's "now" and the example expiry. */
  readonly today: string;
  /**
   * The module `segment-access import` wrote: the repo then starts from the live workspaces (that module
   * is its baseline, as code) instead of example workspaces. @default - example workspaces, demo seed
   */
  readonly fromImport?: string;
}

/** Where the package keeps what init copies: templates/ at its root (beside dist/). */
function templatesDir(): string {
  const candidates = [join(__dirname, '..', '..', 'templates'), join(__dirname, '..', 'templates')];
  const found = candidates.find((c) => existsSync(join(c, 'init', 'main.ts')));
  if (!found) throw new Error(`segment-access's templates are missing (looked in ${candidates.join(' and ')}): reinstall the package.`);
  return found;
}

/** A template with its {{placeholders}} filled; a placeholder left unfilled is a bug, never written. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_all, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, key)) throw new Error(`template placeholder {{${key}}} has no value`);
    return values[key];
  });
}

/** An npm package name from a directory name: lower case, letters, digits, "-", "." and "_", at most 214 characters. */
export function packageNameOf(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '').slice(0, 214).replace(/-+$/, '');
  return name || 'segment-access-repo';
}

/** An app id (APP_ID_PATTERN) from a package name, or undefined when none can be made. */
export function appIdOf(name: string): string | undefined {
  const id = name.replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 40).replace(/-+$/, '');
  return APP_ID_PATTERN.test(id) ? id : undefined;
}

/** The day after `days` days, YYYY-MM-DD. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Every file of a new access repo, computed and not written: package.json with pinned versions,
 * cdktf.json, tsconfig.json, the app (main.ts, definition.ts, the workspaces as code), access.yaml, a
 * snapshot test, the CI workflow and CODEOWNERS, a README, and an emulator seed that matches the
 * workspaces (with --from-import: the imported module instead of example workspaces, and no seed).
 */
export function scaffoldFiles(options: ScaffoldOptions): ScaffoldFile[] {
  const framework = options.framework ?? CdkFramework.CDKTF;
  const templates = templatesDir();
  const template = (path: string) => readFileSync(join(templates, path), 'utf8');
  const packages = FRAMEWORK_PACKAGES[framework];
  const workspaces = scaffoldWorkspaces(options.appId);
  const imported = options.fromImport !== undefined;
  const controlsFile = imported ? '`imported-access.ts`' : '`workspaces.ts`';
  const values = {
    name: options.name,
    framework,
    cli: framework,
    today: options.today,
    expiresOn: addDays(options.today, 90),
    controlsFile,
    fillIn: imported
      ? 'Write the `TODO(segment-access import)` values in `imported-access.ts` (or import again with `--approval-reference`)'
      : 'Fill in the `TODO(segment-access init)` values in `workspaces.ts` (workspace ids, slugs, seats, sources)',
    tokenVariables: imported ? 'the `tokenEnvVar` of each workspace in `imported-access.ts`' : workspaces.map((w) => `\`${w.tokenEnvVar}\``).join(', '),
    stacks: imported ? '<your stacks>' : workspaces.map((w) => w.environment).join(' '),
  };
  const readme = fillTemplate(template('init/README.md'), { ...values, try: fillTemplate(template(imported ? 'init/README-try-import.md' : 'init/README-try-demo.md'), values) });
  const workflow = template('github/workflows/segment-access.yml');
  const files: ScaffoldFile[] = [
    {
      path: 'package.json',
      text: json({
        name: options.name,
        version: '0.1.0',
        private: true,
        description: 'Who may do what in our Segment workspaces: requests in access.yaml, workspaces as code (segment-access).',
        scripts: { validate: 'segment-access validate access.yaml', synth: `${framework} synth`, demo: 'segment-access demo', test: 'tsc --noEmit && jest' },
        dependencies: { 'segment-access': `^${options.segmentAccessVersion}`, ...packages.dependencies },
        devDependencies: { ...packages.devDependencies, ...TOOL_PACKAGES },
        engines: { node: NODE_ENGINES[framework] },
      }),
    },
    {
      path: 'cdktf.json',
      // ts-node --transpile-only: cdktf's own default (types are checked by `npm test`).
      text: json({ language: 'typescript', app: 'npx ts-node --transpile-only main.ts', projectId: options.name, sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }),
    },
    {
      path: 'tsconfig.json',
      text: json({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          lib: ['ES2022'],
          moduleResolution: 'node',
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node', 'jest'],
          // segment-access's types name cdktf; on CDK Terrain they are cdktn's (docs/cdk-terrain.md).
          ...(framework === CdkFramework.CDKTN ? { paths: { cdktf: ['./node_modules/cdktn'] } } : {}),
        },
        include: ['*.ts', '__tests__'],
      }),
    },
    { path: 'main.ts', text: template('init/main.ts') },
    { path: 'definition.ts', text: template(imported ? 'init/definition-from-import.ts' : 'init/definition.ts') },
    ...(imported ? [{ path: 'imported-access.ts', text: options.fromImport! }] : [{ path: 'workspaces.ts', text: renderWorkspacesModule(workspaces, options.appId) }]),
    { path: 'access.yaml', text: fillTemplate(template(imported ? 'init/access-from-import.yaml' : 'init/access.yaml'), values) },
    { path: '__tests__/access.test.ts', text: fillTemplate(template('init/__tests__/access.test.ts'), values) },
    { path: 'jest.config.js', text: template('init/jest.config.js') },
    { path: '.gitignore', text: template('init/gitignore') },
    { path: 'README.md', text: readme },
    {
      path: '.github/workflows/segment-access.yml',
      // The same workflow on CDK Terrain: its CLI, on the Node it needs.
      text: framework === CdkFramework.CDKTN ? workflow.replace(/npx cdktf /g, 'npx cdktn ').replace(/node-version: 20\b/g, 'node-version: 22') : workflow,
    },
    { path: '.github/CODEOWNERS', text: template('CODEOWNERS') },
    ...(imported ? [] : [{ path: 'demo/emulator-seed.json', text: json(scaffoldSeed(workspaces)) }]),
  ];
  return files;
}

/** Whether a file is a module `segment-access import` wrote (its header, and its export). */
export function isImportModule(text: string): boolean {
  return text.startsWith('// Access definition imported by `segment-access import`') && /^export const ACCESS: AccessDefinition = /m.test(text);
}
