import { builtinModules } from 'module';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { FRAMEWORK, S3Backend } from '../../framework';
import { runCommand } from '../support/run-command';
import { readStackJson, TEST_NOW } from '../support/synth';
import { EXAMPLE_ACCESS, EXAMPLE_REQUESTS_FILE } from '../support/example';

const DIST = resolve(__dirname, '..', '..', 'dist');

describe('a synthesized stack runs wherever it is synthesized', () => {
  test('the bundled executor needs nothing but node: every require is a Node built-in', () => {
    const bundle = readFileSync(join(DIST, 'executor', 'segment-access-executor.cjs'), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(required.filter((r) => !builtins.has(r))).toEqual([]);
  });

  test('synthesized with the compiled package from another directory, the stack\'s provisioner command runs with no package install', async () => {
    // As in a user's infra repo: their own app imports the installed package (dist/), synth output anywhere.
    const work = mkdtempSync(join(tmpdir(), 'sa-infra-repo-'));
    const app = join(work, 'main.js');
    writeFileSync(
      app,
      [
        `const { App } = require(${JSON.stringify(require.resolve(FRAMEWORK.name))});`,
        `const sa = require(${JSON.stringify(join(DIST, 'index.js'))});`,
        `const app = new App({ outdir: ${JSON.stringify(join(work, 'out'))}, context: { 'segment-access:now': ${JSON.stringify(TEST_NOW)} } });`,
        `const definition = require(${JSON.stringify(join(DIST, 'stacks', 'example-workspaces.js'))}).exampleDefinition(sa.loadAccessRequests(${JSON.stringify(EXAMPLE_REQUESTS_FILE)}));`,
        `new sa.SegmentAccessStack(app, 'prod', { definition, environment: sa.Environment.PROD });`,
        'app.synth();',
      ].join('\n'),
    );
    const synth = await runCommand(process.execPath, [app], { PATH: process.env.PATH }, work);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const stackDir = join(work, 'out', 'stacks', 'prod');
    const exec = readStackJson(join(work, 'out'), 'prod').resource.terraform_data.workspace_reconciler.provisioner[0]['local-exec'];
    // Exactly what local-exec runs: interpreter + command, in the stack directory, no shell, no npm.
    const nodeOnly = { PATH: resolve(process.execPath, '..') };
    const version = await runCommand(exec.interpreter[0], [...exec.interpreter.slice(1), '--version'], nodeOnly, stackDir);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(resolve(DIST, '..', 'package.json'), 'utf8')).version);
    const run = await runCommand(exec.interpreter[0], [...exec.interpreter.slice(1), exec.command], { ...nodeOnly, SEGMENT_ACCESS_DESIRED_STATE: exec.environment.SEGMENT_ACCESS_DESIRED_STATE }, stackDir);
    // It found and read the desired state beside it, then stopped at the missing token: nothing reached any network.
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SEGMENT_PROD_TOKEN is not set');
  });

  test("the team's own backend replaces the local state file", async () => {
    const { App } = await import('../../framework');
    const { SegmentAccessStack } = await import('../../stacks/segment-access-stack');
    const { Environment } = await import('../../model/enums');
    const outdir = mkdtempSync(join(tmpdir(), 'sa-backend-'));
    const app = new App({ outdir, context: { 'segment-access:now': TEST_NOW } });
    new SegmentAccessStack(app, 'prod', {
      definition: EXAMPLE_ACCESS,
      environment: Environment.PROD,
      backend: (stack) => new S3Backend(stack, { bucket: 'acme-tf-state', key: 'segment-access/prod.tfstate', region: 'eu-west-1' }),
    });
    app.synth();
    expect(readStackJson(outdir, 'prod').terraform.backend).toEqual({ s3: { bucket: 'acme-tf-state', key: 'segment-access/prod.tfstate', region: 'eu-west-1' } });
  });
});
