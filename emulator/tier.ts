import { planFeatureError } from './errors';
import { EmulatorState } from './state';

/**
 * User groups (Advanced Access Management) and the audit trail are Business-plan features
 * (segment-docs iam/membership.md, iam/audit-trail.md). How Segment refuses them on a Team plan is
 * not documented: the emulator answers 403 `forbidden`.
 */
export function requireBusinessPlan(state: EmulatorState, workspaceId: string, feature: string): void {
  const tier = state.planTier(workspaceId);
  if (tier !== 'business') throw planFeatureError(feature, tier);
}
