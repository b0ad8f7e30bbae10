import { DESIRED_STATE_VERSION, DesiredState } from '../model/desired-state';
import { Region } from '../model/enums';
import { reconcile, ReconcileOptions, ReconcileResult } from './reconcile';
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
  readonly now: Date;
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
  readonly onPlan?: ReconcileOptions['onPlan'];
}

/**
 * What a stack's destroy runs: converge on "nothing declared". Removes exactly the collaborators and
 * group permissions this app manages (never anyone else, never the last Workspace Owner), then its records.
 */
export async function release(options: ReleaseOptions): Promise<ReconcileResult> {
  const empty: DesiredState = {
    schemaVersion: DESIRED_STATE_VERSION,
    stack: '(release)',
    workspace: {
      id: options.workspaceId,
      slug: options.workspaceId,
      name: options.workspaceId,
      environment: 'release',
      region: Region.US,
      apiUrl: 'https://api.segmentapis.com',
      appUrl: 'https://app.segment.com',
      tokenEnvVar: options.tokenEnvVar,
      seatLimit: null,
      sso: { enforced: false, domains: [] },
      scim: { enabled: false },
      accessContact: null,
    },
    management: { recordPrefix: options.recordPrefix, appId: options.appId, useAuditTrail: options.useAuditTrail ?? true, authoritative: false, retain: [] },
    collaborators: [],
    groupGrants: [],
    expired: [],
  };
  return reconcile({
    api: options.api,
    desired: empty,
    now: options.now,
    dryRun: options.dryRun,
    log: options.log,
    onPlan: options.onPlan,
    auditDelayMs: options.auditDelayMs,
    auditActors: options.auditActors,
  });
}
