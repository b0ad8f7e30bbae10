import { DEFAULT_RECORD_KEY_ENV_VAR, DESIRED_STATE_VERSION, DesiredState } from '../model/desired-state';
import type { RecordKeyring } from './record-key';
import { PlanTier, Region } from '../model/enums';
import { RoleCatalog } from './permissions';
import { checkWorkspaceIdentity, EMPTY_COUNTS, reconcile, ReconcileOptions, ReconcileResult } from './reconcile';
import { emptyPlan } from './plan';
import type { SegmentPort } from './segment-port';

export interface ReleaseOptions {
  readonly api: SegmentPort;
  readonly workspaceId: string;
  readonly recordPrefix: string;
  /** The app whose record is released. */
  readonly appId: string;
  /** Check the record against the audit trail. @default true */
  readonly useAuditTrail?: boolean;
  readonly auditDelayMs?: number;
  readonly auditActors?: readonly string[];
  readonly tokenEnvVar: string;
  /** The variable the record key is read from (for messages). @default SEGMENT_ACCESS_RECORD_KEY */
  readonly recordKeyEnvVar?: string;
  /** The app's record keys: release writes, so it stops before any call without them (Team plans need none). */
  readonly keys?: RecordKeyring;
  readonly now: Date;
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
  readonly onPlan?: ReconcileOptions['onPlan'];
}

// Fields a DesiredState must have that release never reads (its reconcile needs only the workspace id,
// token variable and management): a mutant here cannot change behaviour, so Stryker skips them.
// Stryker disable all
const RELEASE_PLACEHOLDERS = {
  stack: '(release)',
  workspace: { environment: 'release', appUrl: 'https://app.segment.com', sso: { enforced: false, domains: [] as string[] }, scim: { enabled: false } },
};
// Stryker restore all

/**
 * What a stack's destroy runs: converge on "nothing declared". Removes exactly the collaborators and
 * group permissions this app manages (never anyone else, never the last Workspace Owner), then its records.
 */
export async function release(options: ReleaseOptions): Promise<ReconcileResult> {
  const empty: DesiredState = {
    schemaVersion: DESIRED_STATE_VERSION,
    stack: RELEASE_PLACEHOLDERS.stack,
    workspace: {
      ...RELEASE_PLACEHOLDERS.workspace,
      id: options.workspaceId,
      slug: options.workspaceId,
      name: options.workspaceId,
      region: Region.US,
      tokenEnvVar: options.tokenEnvVar,
      seatLimit: null,
      accessContact: null,
    },
    management: {
      recordPrefix: options.recordPrefix,
      appId: options.appId,
      recordKeyEnvVar: options.recordKeyEnvVar ?? DEFAULT_RECORD_KEY_ENV_VAR,
      useAuditTrail: options.useAuditTrail ?? true,
      authoritative: false,
      retain: [],
    },
    collaborators: [],
    groupGrants: [],
    expired: [],
  };
  // The plan is not known here: the live catalog tells. A Team plan has no record of what this code
  // manages (its definitions are authoritative), so there is nothing release may safely remove.
  const workspace = await checkWorkspaceIdentity(options.api, empty);
  if (new RoleCatalog(await options.api.listRoles()).planTier === PlanTier.TEAM) {
    options.log?.(`${workspace.name} (${workspace.id}) is on a Team plan: no record of managed users exists, so release removes nothing. Remove collaborators from the definition and deploy instead.`);
    const plan = emptyPlan(workspace, options.appId);
    return { plan, counts: { ...EMPTY_COUNTS }, rounds: 0 };
  }
  return reconcile({
    api: options.api,
    desired: empty,
    now: options.now,
    dryRun: options.dryRun,
    log: options.log,
    onPlan: options.onPlan,
    auditDelayMs: options.auditDelayMs,
    auditActors: options.auditActors,
    keys: options.keys,
  });
}
