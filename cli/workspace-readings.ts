import { resolve } from 'path';
import type { DesiredState } from '../model/desired-state';
import { PlanTier } from '../model/enums';
import { SegmentApiError } from '../api/errors';
import { AuditEvidence } from '../reconciler/evidence';
import { readLiveState, type LiveState } from '../reconciler/live-state';
import { checkWorkspaceIdentity, liveStateOptions } from '../reconciler/reconcile';
import { RecordSigner } from '../reconciler/records';
import type { LiveAuditEvent } from '../reconciler/segment-port';
import { auditSettings, clientForWorkspace, recordKeysFor } from './api-context';
import { desiredStateFiles, loadDesiredState } from './desired-state-file';

/** One workspace as the review and evidence commands read it: the code, Segment, and its audit trail. */
export interface WorkspaceReading {
  readonly desired: DesiredState;
  readonly live: LiveState;
  /** Access events since `since`, oldest first; null when the trail could not be read (`trailUnavailable` says why). */
  readonly events: readonly LiveAuditEvent[] | null;
  readonly trailUnavailable: string | null;
  /** This app's actors in the trail, proven by its signed intents (none without the record key). */
  readonly ourActors: readonly string[];
  /** When Segment was read (the run's clock). */
  readonly readAt: string;
}

export interface ReadWorkspacesOptions {
  readonly outdir?: string;
  readonly stacks?: readonly string[];
  readonly now: Date;
  /** Start of the audit-trail window read. */
  readonly since: Date;
  readonly log: (line: string) => void;
}

/** Reads every synthesized workspace (read-only): identity checked first, then users, invites, groups, record and trail. */
export async function readWorkspaces(options: ReadWorkspacesOptions): Promise<WorkspaceReading[]> {
  const readings: WorkspaceReading[] = [];
  for (const file of desiredStateFiles(resolve(options.outdir ?? 'cdktf.out'), [...(options.stacks ?? [])])) {
    const desired = loadDesiredState(file);
    const api = clientForWorkspace(desired.workspace, options.log);
    const identity = await checkWorkspaceIdentity(api, desired);
    const keys = recordKeysFor(desired);
    const live = await readLiveState(api, identity, desired.management, { ...liveStateOptions(desired), ...auditSettings(), keys, now: options.now });
    let events: LiveAuditEvent[] | null = null;
    let trailUnavailable: string | null = null;
    let ourActors: string[] = [];
    if (live.planTier === PlanTier.TEAM) trailUnavailable = 'the audit trail is a Business-plan feature; this workspace is on a Team plan';
    else {
      try {
        // Up to the run's clock (SEGMENT_ACCESS_NOW when pinned), not the machine's.
        const read = await api.listAuditEvents({ startTime: options.since.toISOString(), endTime: options.now.toISOString() });
        events = [...read].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
        const signer = keys ? new RecordSigner(desired.management.recordPrefix, desired.management.appId, keys) : undefined;
        ourActors = [...new AuditEvidence(read, { prefix: desired.management.recordPrefix, app: desired.management.appId, signer, delayMs: 0, now: options.now }).ourActors].sort();
      } catch (error) {
        if (!(error instanceof SegmentApiError && [401, 403, 404].includes(error.status))) throw error;
        trailUnavailable = `GET /audit-events answered ${error.status}`;
      }
    }
    readings.push({ desired, live, events, trailUnavailable, ourActors, readAt: options.now.toISOString() });
  }
  return readings;
}
