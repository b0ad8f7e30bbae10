/** What an apply did, returned on success and attached to `ApplyError` on failure. */
import type { Plan, PlanMode, PlannedActionKind } from './plan';
import type { ProvisionerRun } from './provisioner';
import type { TfState } from './state';

export interface AppliedOperation {
  address: string;
  /** A plan `replace` runs as one destroy and one create operation. */
  operation: 'create' | 'destroy';
  /** The planned action the operation belongs to. */
  action: PlannedActionKind;
  /** Id of the object created or destroyed (null when skipped before a create). */
  id: string | null;
  /** Set when the destroyed object was deposed by create_before_destroy. */
  deposedKey?: string;
  status: 'succeeded' | 'failed' | 'skipped';
  error?: string;
}

export interface ApplyResult {
  mode: PlanMode;
  plan: Plan;
  /** In execution order, including operations skipped because one they wait for failed. */
  operations: AppliedOperation[];
  provisionerRuns: ProvisionerRun[];
  errors: string[];
  /** Terraform's closing line: "Resources: N added, 0 changed, M destroyed." */
  summary: { added: number; changed: number; destroyed: number };
  /** The state as persisted at the end. */
  state: TfState;
}
