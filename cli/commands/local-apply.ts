import { basename, resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { applyStack } from '../../tf-runner/apply';
import { planStackDir } from '../../tf-runner/plan-stack-dir';
import { renderPlan } from '../../tf-runner/render-plan';
import { hasChanges } from '../../tf-runner/plan';

const HELP = `Usage: segment-access local-apply <stack-dir> [--state FILE] [--destroy] [--plan]

Applies a synthesized stack (cdktf.out/stacks/<name>) with Terraform's lifecycle rules for
null_resource and local-exec, without a terraform binary: create, replace on a changed trigger
(destroy provisioners see the old values), no destroy provisioner for a removed block, taint on a
failed create. For demos and CI; production uses \`cdktf deploy\` with Terraform.

  --state FILE   state file (default .segment-access/<stack>.local-state.json)
  --destroy      destroy everything, as \`cdktf destroy\`
  --plan         print the plan only`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('local-apply', argv, { state: { type: 'string' }, destroy: { type: 'boolean' }, plan: { type: 'boolean' } }, true);
  if (values.help || positionals.length !== 1) {
    process.stdout.write(`${HELP}\n`);
    return values.help ? 0 : 1;
  }
  const stackDir = resolve(positionals[0]);
  const statePath = resolve(stringArg(values, 'state') ?? `.segment-access/${basename(stackDir)}.local-state.json`);
  const mode = values.destroy ? 'destroy' : 'apply';
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const plan = planStackDir({ stackDir, statePath, mode });
  log(renderPlan(plan));
  if (values.plan || !hasChanges(plan)) return 0;
  await applyStack({ stackDir, statePath, mode, log });
  return 0;
}
