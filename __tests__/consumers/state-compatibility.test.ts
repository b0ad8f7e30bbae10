// A stack deployed with cdktf 0.21 continues under CDK Terrain 0.24: the same project, its Terraform
// state handed over, plans "No changes" and deploys without one API call. Needs both CLIs and Node 22
// (cdktn-cli's engines); .ci/run runs it in the CDK Terrain line.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CdkFramework } from '../../framework';
import { RunningEmulator, startEmulator } from '../../emulator/server';
import { e2eSeed } from '../support/e2e';
import { ConsumerProject, packTarball } from './support/consumer-project';

describe('state compatibility: deployed by cdktf 0.21, continued by CDK Terrain 0.24', () => {
  let scratch: string;
  let cdktf: ConsumerProject;
  let cdktn: ConsumerProject;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sa-pack-'));
    const tarball = await packTarball(scratch);
    [cdktf, cdktn] = await Promise.all([ConsumerProject.create(CdkFramework.CDKTF, tarball), ConsumerProject.create(CdkFramework.CDKTN, tarball)]);
    emulator = await startEmulator({ seed: e2eSeed(), rateLimit: { writesPerWindow: 1000, windowMs: 60_000 } });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    cdktf?.remove();
    cdktn?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('cdktn plans "No changes" on the state cdktf wrote, re-deploys with no API call, and destroys what cdktf deployed', async () => {
    for (const project of [cdktf, cdktn]) expect((await project.compile()).code).toBe(0);
    await cdktf.deployInvitingBoth(emulator);

    // The team switches the project to CDK Terrain: same code but the App's import, same state file.
    cdktn.copyStateFrom(cdktf);
    await cdktn.expectNoChange(['diff', 'prod'], emulator);
    // Both frameworks wrote the same Terraform JSON; only the metadata block names the framework.
    expect(cdktn.terraformJson()).toEqual(cdktf.terraformJson());
    await cdktn.expectNoChange(['deploy', 'prod', '--auto-approve'], emulator);
    // The release anchor cdktf created still releases under cdktn.
    await cdktn.destroyReleasing(emulator);
  }, 600_000);
});
