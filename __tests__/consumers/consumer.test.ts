// A team's infra repo on ONE framework (SEGMENT_ACCESS_CONSUMER_FRAMEWORK: cdktf on Node 20, cdktn on
// Node 22, both lines in .ci/run): segment-access from the packed tarball, the framework from the npm
// registry, the real terraform binary, the bundled emulator. Run with jest.consumers.config.js.
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RunningEmulator, startEmulator } from '../../emulator/server';
import { E2E_WS, e2eSeed } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { TEST_NOW } from '../support/synth';
import { Environment, WorkspaceRole } from '../../model/enums';
import { App } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { CDK_TERRAIN_DOC, ConsumerProject, consumerFramework, packTarball } from './support/consumer-project';
import { docText } from '../support/doc-examples';

const framework = consumerFramework();
const other = framework === 'cdktn' ? 'cdktf' : 'cdktn';

describe(`a consumer repo on ${framework} only`, () => {
  let scratch: string;
  let project: ConsumerProject;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sa-pack-'));
    project = await ConsumerProject.create(framework, await packTarball(scratch));
    emulator = await startEmulator({ seed: e2eSeed(), rateLimit: { writesPerWindow: 1000, windowMs: 60_000 } });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (process.env.SEGMENT_ACCESS_KEEP_CONSUMER === undefined) project?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  test(`installs segment-access from the tarball with ${framework} alone: ${other} is not installed at all`, () => {
    expect(project.installed('segment-access')).toBe(true);
    expect(project.installed(framework)).toBe(true);
    expect(project.installed(other)).toBe(false);
    expect(project.installed(`${other}-cli`)).toBe(false);
    expect(project.installed('@cdktf/provider-null')).toBe(false);
    expect(project.cli.framework).toBe(framework);
  });

  test('docs/cdk-terrain.md states the installed packages\' own requirements (Node engines, constructs range)', () => {
    const doc = docText(CDK_TERRAIN_DOC);
    const pkg = (name: string) => JSON.parse(readFileSync(join(project.dir, 'node_modules', name, 'package.json'), 'utf8'));
    if (framework === 'cdktn') {
      expect(doc).toContain(`\`${'cdktn-cli'}\` ${pkg('cdktn-cli').version} declares \`"engines": { "node": "${pkg('cdktn-cli').engines.node}" }\``);
      expect(doc).toContain(`\`cdktn\` ${pkg('cdktn').version} accepts \`constructs ${pkg('cdktn').peerDependencies.constructs}\``);
    } else {
      expect(pkg('cdktf').peerDependencies.constructs).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).peerDependencies.constructs);
    }
  });

  test('the app type-checks against the published types (strict) and synthesizes exactly what this repo synthesizes', async () => {
    const compiled = await project.compile();
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    const synth = await project.run(['synth'], emulator.url);
    expect(synth.code).toBe(0);
    // The repo's own synth of the same definition, on the repo's framework: the same desired state and Terraform JSON.
    const repoOut = mkdtempSync(join(tmpdir(), 'sa-repo-synth-'));
    const app = new App({ outdir: repoOut, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    new SegmentAccessStack(app, 'prod', { definition: e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)]), environment: Environment.PROD });
    app.synth();
    const desired = `segment-access.${E2E_WS}.json`;
    expect(readFileSync(project.stackFile(desired), 'utf8')).toBe(readFileSync(join(repoOut, 'stacks', 'prod', desired), 'utf8'));
    const { '//': _metadata, ...repoJson } = JSON.parse(readFileSync(join(repoOut, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(project.terraformJson()).toEqual(repoJson);
    rmSync(repoOut, { recursive: true, force: true });
  }, 300_000);

  test(`${framework} deploy invites with real terraform; a second deploy is a no-op; ${framework} destroy releases exactly what the code manages`, async () => {
    await project.deployInvitingBoth(emulator);
    await project.expectNoChange(['deploy', 'prod', '--auto-approve'], emulator);
    await project.destroyReleasing(emulator);
  }, 600_000);
});
