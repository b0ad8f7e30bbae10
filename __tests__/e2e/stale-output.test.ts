// Synth owns its output folder: a stack directory holds only what the current synth wrote, and `plan`
// and `audit` read only what the current synth produced. The scenario: a mistyped workspaceId,
// fixed, synthesized again (as `cdktf synth` does, into the same cdktf.out), then `plan` and `audit`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { Environment, WorkspaceRole } from '../../model/enums';
import { Executor } from '../../constructs/executor';
import { ControlRuleId } from '../../model/control-acknowledgements';
import type { AccessDefinition } from '../../stacks/access-definition';
import { E2E_WS, E2EWorld } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { runCommand } from '../support/run-command';

const TYPO = 'wsE2eProdO1';
const DESIRED = `segment-access.${E2E_WS}.json`;

describe('synth owns its output folder', () => {
  let world: E2EWorld;
  beforeEach(async () => {
    world = await E2EWorld.start();
  });
  afterEach(async () => world.stop());

  /** `cdktf synth` into the same output folder, as the CLI does: nothing is cleared beforehand. */
  const synthAgain = (definition: AccessDefinition) => {
    const app = new App({ outdir: world.outdir, context: { [NOW_CONTEXT_KEY]: '2026-11-27T12:00:00Z' } });
    new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
    app.synth();
  };
  const cli = (args: string[]) => runCommand('segment-access', args, world.env, world.dir);
  const synthOutputs = () => readdirSync(world.stackDir).filter((f) => f.startsWith('segment-access')).sort();

  test('a mistyped workspaceId, fixed and synthesized again: one desired-state file; plan and audit read it', async () => {
    const access = [collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)];
    synthAgain(e2eDefinition(access, { workspaceId: TYPO }));
    expect(synthOutputs()).toEqual(['segment-access-executor.cjs', `segment-access.${TYPO}.json`]);
    // What Terraform keeps in the stack directory between runs must survive a synth.
    mkdirSync(join(world.stackDir, '.terraform'));
    writeFileSync(join(world.stackDir, '.terraform', 'terraform.tfstate'), '{}');
    writeFileSync(join(world.stackDir, 'plan'), 'a saved plan');

    synthAgain(e2eDefinition(access));
    expect(synthOutputs()).toEqual(['segment-access-executor.cjs', DESIRED]);
    expect(readFileSync(join(world.stackDir, '.terraform', 'terraform.tfstate'), 'utf8')).toBe('{}');
    expect(readFileSync(join(world.stackDir, 'plan'), 'utf8')).toBe('a saved plan');

    const plan = await cli(['plan', '--stack', 'prod', '--outdir', world.outdir]);
    expect(plan.stderr).not.toContain('desired-state files');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Plan: 2 to invite');
    const audit = await cli(['audit', '--outdir', world.outdir]);
    expect(audit.stderr).not.toContain('Wrong workspace');
    expect(audit.code).toBe(2);
    expect(audit.stdout).toContain('Acme E2E');
    expect(world.writes()).toBe(0);
  });

  test('a file synth did not write is never read, even of the right shape; one edited since is refused', async () => {
    synthAgain(e2eDefinition([collaboratorAccess('Ana')]));
    // A desired-state file copied in by hand (another workspace's): plan and audit do not see it.
    copyFileSync(join(world.stackDir, DESIRED), join(world.stackDir, `segment-access.${TYPO}.json`));
    const plan = await cli(['plan', '--stack', 'prod', '--outdir', world.outdir]);
    expect(plan.code).toBe(2);
    const audit = await cli(['audit', '--outdir', world.outdir, '--json']);
    expect((JSON.parse(audit.stdout) as { workspaces: { workspace: { id: string } }[] }).workspaces.map((w) => w.workspace.id)).toEqual([E2E_WS]);
    // The next synth removes it.
    synthAgain(e2eDefinition([collaboratorAccess('Ana')]));
    expect(existsSync(join(world.stackDir, `segment-access.${TYPO}.json`))).toBe(false);

    // The file the last synth wrote, edited since (here: Ana made an OWNER): refused, naming the fix.
    const file = join(world.stackDir, DESIRED);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"MEMBER"', '"OWNER"'));
    for (const args of [['plan', '--stack', 'prod'], ['audit']]) {
      const refused = await cli([...args, '--outdir', world.outdir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is not the one the last synth of stack "prod" wrote`);
      expect(refused.stderr).toContain('Run `cdktf synth` again.');
    }
    expect(world.writes()).toBe(0);
  });

  test('a stack not in the last synth, or no synth at all, is named with the fix', async () => {
    const none = await cli(['audit', '--outdir', world.outdir]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('manifest.json not found: run `cdktf synth` first (or pass --outdir).');
    synthAgain(e2eDefinition([collaboratorAccess('Ana')]));
    const unknown = await cli(['plan', '--stack', 'staging', '--outdir', world.outdir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Stack "staging" is not in the last synth');
    expect(unknown.stderr).toContain('lists prod');
  });

  test('an executor the workspaces no longer run is removed from the stack directory', () => {
    synthAgain(e2eDefinition([collaboratorAccess('Ana')]));
    expect(synthOutputs()).toContain('segment-access-executor.cjs');
    synthAgain(
      e2eDefinition([collaboratorAccess('Ana')], {
        executor: Executor.command(['segment-access']),
        acknowledgements: [{ ruleId: ControlRuleId.CUSTOM_EXECUTOR, reason: 'The platform image ships segment-access on PATH (SEC-31).' }],
      }),
    );
    expect(synthOutputs()).toEqual([DESIRED]);
  });
});
