import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { runNow } from '../api-context';
import { CdkFramework, FRAMEWORK_PREFERENCE } from '../../framework/framework-choice';
import { appIdOf, isImportModule, packageNameOf, scaffoldFiles } from '../../scaffold/project';
import { APP_ID_PATTERN } from '../../model/desired-state';

const HELP = `Usage: segment-access init [DIR] [--framework cdktf|cdktn] [--app-id ID] [--from-import FILE.ts] [--force]

Makes DIR (default: the current directory) a team's access repo, ready for its first command offline:
package.json with pinned, compatible versions (cdktf, cdktf-cli, constructs, TypeScript 5, ts-node,
jest), cdktf.json, tsconfig.json, the app (main.ts, definition.ts), the workspace configuration in code
(workspaces.ts: prod, staging and dev, TODOs for ids and token variables), access.yaml (the requests,
with its schema line), a snapshot test, the CI workflow for pull requests and deploys with CODEOWNERS
(.github/), a README, and an emulator seed matching the workspaces (demo/emulator-seed.json).
It writes files only: no install, no network. It prints the next three commands.

  --framework NAME     cdktf (CDK for Terraform 0.21, the default) or cdktn (CDK Terrain 0.24, Node >= 22.19)
  --app-id ID          names the record of managed users in each workspace (default: from DIR's name)
  --from-import FILE   start from live workspaces: the module \`segment-access import --out FILE.ts\` wrote
                       becomes the baseline (imported-access.ts) and access.yaml takes new requests
  --force              overwrite files that exist (otherwise nothing is written when any does)

Exit code: 0 = written, 1 = nothing written (the reason is printed).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'init',
    argv,
    { framework: { type: 'string' }, 'app-id': { type: 'string' }, 'from-import': { type: 'string' }, force: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new Error(`init: one directory at most (received ${positionals.length}: ${positionals.join(', ')}). Run \`segment-access init --help\`.`);
  const dir = resolve(positionals[0] ?? '.');
  const framework = stringArg(values, 'framework') ?? CdkFramework.CDKTF;
  if (!FRAMEWORK_PREFERENCE.includes(framework as CdkFramework)) {
    throw new Error(`init: --framework is "${framework}"; allowed: cdktf or cdktn. Fix: pass --framework cdktf (the default) or --framework cdktn.`);
  }
  const name = packageNameOf(dir);
  const appId = stringArg(values, 'app-id') ?? appIdOf(name);
  if (appId === undefined || !APP_ID_PATTERN.test(appId)) {
    throw new Error(
      `init: --app-id is ${appId === undefined ? `missing, and none can be made from the directory name "${name}"` : `"${appId}"`}; allowed: 2 to 40 lowercase letters, digits or "-", starting with a letter. ` +
        'Fix: pass --app-id, e.g. --app-id acme-access.',
    );
  }
  const importFile = stringArg(values, 'from-import');
  let fromImport: string | undefined;
  if (importFile !== undefined) {
    try {
      fromImport = readFileSync(importFile, 'utf8');
    } catch {
      throw new Error(`init: --from-import "${importFile}" cannot be read. Fix: pass the file \`segment-access import --out FILE.ts\` wrote.`);
    }
    if (!isImportModule(fromImport)) {
      throw new Error(`init: --from-import "${importFile}" is not a module \`segment-access import\` wrote (its first line and \`export const ACCESS\` are missing). Fix: run \`segment-access import ... --out ${importFile}\`.`);
    }
  }

  const files = scaffoldFiles({
    name,
    appId,
    framework: framework as CdkFramework,
    segmentAccessVersion: ownVersion(),
    today: runNow().toISOString().slice(0, 10),
    fromImport,
  });
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length && !values.force) {
    throw new Error(`init: ${existing.length} file(s) already exist in ${dir}: ${existing.join(', ')}. Nothing was written. Fix: choose a new directory, or pass --force to overwrite them.`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }

  const out = (line = '') => process.stdout.write(`${line}\n`);
  const where = relative(process.cwd(), dir);
  out(`Wrote ${files.length} files in ${where || '.'}${existing.length ? ` (overwrote ${existing.join(', ')})` : ''}: ${files.map((f) => f.path).join(', ')}`);
  out('Next:');
  const cd = where ? `cd ${where} && ` : '';
  const next = fromImport
    ? [`${cd}npm install`, 'npm test', `npx ${framework} plan prod   # no token needed: every imported grant reads as adopted (+)`]
    : [`${cd}npm install`, 'npx segment-access demo   # synth, then deploy prod, staging and dev to the bundled emulator', 'npm test                  # type check, guardrails and snapshots'];
  for (const command of next) out(`  ${command}`);
  return 0;
}

/** This package's version, for the new repo's dependency on it. */
function ownVersion(): string {
  const candidates = [join(__dirname, '..', '..', '..', 'package.json'), join(__dirname, '..', '..', 'package.json')];
  const file = candidates.find((c) => existsSync(c) && (JSON.parse(readFileSync(c, 'utf8')) as { name?: string }).name === 'segment-access');
  if (!file) throw new Error('init: segment-access\'s package.json is missing: reinstall the package.');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
