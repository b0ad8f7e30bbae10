// A stack deployed with cdktf 0.21 continues under CDK Terrain 0.24: the same project, its Terraform
// state handed over, plans "No changes" and deploys without one API call. Needs both CLIs and Node 22
// (cdktn-cli's engines); .ci/run runs it in the CDK Terrain line.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CdkFramework } from '../../framework';
import { RunningEmulator, startEmulator } from '../../emulator/server';
import { E2E_WS, e2eSeed, OWNER, UNMANAGED } from '../support/e2e';
import { ConsumerProject, packTarball, plainOutput } from './support/consumer-project';

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
    const deployed = await cdktf.run(['deploy', 'prod', '--auto-approve'], emulator.url);
    if (deployed.code !== 0) throw new Error(plainOutput(deployed));
    expect(plainOutput(deployed)).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed\./);
    expect(emulator.state.listInvites(E2E_WS).map((i) => i.email).sort()).toEqual(['ana@agency.example', 'bo@agency.example']);

    // The team switches the project to CDK Terrain: same code but the App's import, same state file.
    cdktn.copyStateFrom(cdktf);
    const writes = emulator.stats().writes;
    const requests = emulator.stats().requests;
    const diff = await cdktn.run(['diff', 'prod'], emulator.url);
    expect(diff.code).toBe(0);
    expect(plainOutput(diff)).toContain('No changes. Your infrastructure matches the configuration.');
    // Both frameworks wrote the same Terraform JSON; only the metadata block names the framework.
    expect(cdktn.terraformJson()).toEqual(cdktf.terraformJson());

    const redeployed = await cdktn.run(['deploy', 'prod', '--auto-approve'], emulator.url);
    expect(redeployed.code).toBe(0);
    expect(plainOutput(redeployed)).toContain('No changes. Your infrastructure matches the configuration.');
    expect(emulator.stats().requests).toBe(requests);
    expect(emulator.stats().writes).toBe(writes);

    // The release anchor cdktf created still releases under cdktn.
    const destroyed = await cdktn.run(['destroy', 'prod', '--auto-approve'], emulator.url);
    expect(destroyed.code).toBe(0);
    expect(plainOutput(destroyed)).toMatch(/Destroy complete! Resources: 2 destroyed\./);
    expect(emulator.state.listInvites(E2E_WS)).toEqual([]);
    expect(emulator.state.listUsers(E2E_WS).map((u) => u.email).sort()).toEqual([OWNER, UNMANAGED].sort());
  }, 600_000);
});
