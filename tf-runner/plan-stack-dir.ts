/** `terraform plan` for a synthesized stack directory: reads config and state, changes nothing. */
import { loadStackConfig } from './config';
import { Plan, PlanMode, planStack } from './plan';
import { readState } from './state';

export function planStackDir(options: { stackDir: string; statePath: string; mode?: PlanMode }): Plan {
  return planStack(loadStackConfig(options.stackDir), readState(options.statePath), options.mode ?? 'apply');
}
