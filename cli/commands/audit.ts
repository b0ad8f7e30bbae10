import { resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { auditSettings, clientForWorkspace, recordKeysFor, runNow } from '../api-context';
import { lineWriter } from '../line-writer';
import { redactRecordKeys } from '../../api/redact';
import { loadSynthesizedDesiredState, synthesizedDesiredStates } from '../desired-state-file';
import { auditWorkspace, AuditTrailInput, recordNeedsAttention, WorkspaceAudit } from '../../audit/audit';
import { AUDIT_TRAIL_DAYS } from '../../audit/audit-trail';
import { SegmentApiClient } from '../../api/client';
import { SegmentApiError } from '../../api/errors';
import { PlanTier } from '../../model/enums';
import { renderAuditMarkdown } from '../../audit/render';
import { resendInvites } from '../../audit/resend';
import { DEFAULT_AUDIT_DELAY_MS, LiveState, readLiveState } from '../../reconciler/live-state';
import { AuditEvidence } from '../../reconciler/evidence';
import type { RecordKeyring } from '../../reconciler/record-key';
import { RecordSigner } from '../../reconciler/records';
import type { DesiredState } from '../../model/desired-state';
import { checkWorkspaceIdentity, liveStateOptions } from '../../reconciler/reconcile';

const HELP = `Usage: segment-access audit [--outdir cdktf.out] [--stack NAME]... [--json] [--since DATE] [--resend-expired]

Compares each live workspace with its desired state (the files \`cdktf synth\` writes) and reports
drift, unmanaged members (owners flagged), pending invites and which to resend (treated as expired
after 7 days), grants past expiry still active, seat use, members outside the SSO domains, and
damage to the record of managed users (verified with the record key and checked against the audit
trail): record groups holding permissions, groups shaped like the record that are not authentic
(naming their creator), renamed, deleted or edited record groups, members this app never invited,
people it invited but no record holds, interrupted runs, and conflicts with other apps. It says whom
it trusts: the key and the app's actors, each with when a signed intent proved it. Without the record
key (SEGMENT_ACCESS_RECORD_KEY, or the variable the file names) it trusts nothing and says so.
From Segment's audit trail (Business plan) it dates invites this code did not send, names who
changed access outside this code since its last deploy, and attaches the access events since
--since (default: the 90 days Segment keeps) as evidence. Read-only, unless --resend-expired is given
(then only expired invites this code sent are re-sent). Exit code: 0 = no findings, 2 = findings,
3 = the record of managed users is damaged or cannot be verified, or another app claims the same
people (as \`plan\`), 1 = error. Schedule it for the quarterly review.`;

const DAY_MS = 86_400_000;

/** The audit trail since `since`: as the live read already holds it, or read now (or why it cannot be). */
async function readAuditTrail(api: SegmentApiClient, live: LiveState, since: string, desired: DesiredState, keys: RecordKeyring | undefined, now: Date): Promise<AuditTrailInput> {
  if (live.auditTrail.state === 'read') {
    const { evidence } = live.auditTrail;
    const from = Date.parse(since);
    // Newest first, as Segment lists them (events of one call share a timestamp; their order is kept).
    const events = [...evidence.events].reverse().filter((e) => Date.parse(e.timestamp) >= from);
    return { since, events, ourActors: [...evidence.ourActors] };
  }
  const planTier = live.planTier;
  if (planTier === PlanTier.TEAM) return { unavailable: 'the audit trail is a Business-plan feature; this workspace is on a Team plan' };
  try {
    // The record is not checked against the trail here (useAuditTrail: false), but the app's actors can still be proven.
    const events = await api.listAuditEvents({ startTime: since });
    const signer = keys ? new RecordSigner(desired.management.recordPrefix, desired.management.appId, keys) : undefined;
    const proven = new AuditEvidence(events, { prefix: desired.management.recordPrefix, app: desired.management.appId, signer, delayMs: 0, now });
    return { since, events, ourActors: [...proven.ourActors] };
  } catch (error) {
    if (error instanceof SegmentApiError && (error.status === 403 || error.status === 401 || error.status === 404)) {
      return { unavailable: `GET /audit-events answered ${error.status}` };
    }
    throw error;
  }
}

function sinceOf(raw: string | undefined, now: Date): string {
  if (raw === undefined) return new Date(now.getTime() - AUDIT_TRAIL_DAYS * DAY_MS).toISOString();
  const at = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at.getTime())) {
    throw new Error(`--since is "${raw}", not a date. Use e.g. 2026-09-01 or 2026-09-01T00:00:00Z.`);
  }
  return at.toISOString();
}


export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('audit', argv, {
    outdir: { type: 'string' },
    stack: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    since: { type: 'string' },
    'resend-expired': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = lineWriter(process.stderr);
  const now = runNow();
  const since = sinceOf(stringArg(values, 'since'), now);
  const audits: WorkspaceAudit[] = [];
  const resent: { workspace: string; emails: string[] }[] = [];
  for (const synthesized of synthesizedDesiredStates(resolve(stringArg(values, 'outdir') ?? 'cdktf.out'), (values.stack as string[] | undefined) ?? [])) {
    const desired = loadSynthesizedDesiredState(synthesized);
    const ws = desired.workspace;
    const api = clientForWorkspace(ws, log);
    const identity = await checkWorkspaceIdentity(api, desired);
    const settings = auditSettings();
    const keys = recordKeysFor(desired);
    const live = await readLiveState(api, identity, desired.management, { ...liveStateOptions(desired), ...settings, keys, now });
    const trail = await readAuditTrail(api, live, since, desired, keys, now);
    const audit = auditWorkspace(desired, live, now, trail, settings.auditDelayMs ?? DEFAULT_AUDIT_DELAY_MS);
    audits.push(audit);
    const expired = audit.pendingInvites.filter((p) => p.action === 'resend').map((p) => p.email);
    if (values['resend-expired'] && expired.length) {
      const counts = await resendInvites(api, desired, live, new Set(expired), now, keys);
      resent.push({ workspace: ws.id, emails: expired });
      log(`Re-sent ${counts.reinvited} expired invite(s) in ${ws.name}: ${expired.join(', ')}`);
    }
  }
  // The report is encoded as it is built (JSON, Markdown literals); record keys never enter it, and are blanked if they did.
  const report = values.json ? JSON.stringify({ asOf: now.toISOString(), workspaces: audits, resent }, null, 2) : renderAuditMarkdown(audits, now);
  process.stdout.write(`${redactRecordKeys(report)}\n`);
  const findings = audits.reduce((n, a) => n + a.findingCount, 0);
  const resentCount = resent.reduce((n, r) => n + r.emails.length, 0);
  // As `plan`: a record that is damaged or cannot be verified, or a person two apps claim, is exit 3.
  if (audits.some(recordNeedsAttention)) return 3;
  return findings - resentCount > 0 ? 2 : 0;
}
