import { resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { auditSettings, clientForWorkspace, runNow } from '../api-context';
import { desiredStateFiles, loadDesiredState } from '../desired-state-file';
import { auditWorkspace, WorkspaceAudit } from '../../audit/audit';
import { renderAuditMarkdown } from '../../audit/render';
import { resendInvites } from '../../audit/resend';
import { DEFAULT_AUDIT_DELAY_MS, readLiveState } from '../../reconciler/live-state';
import { checkWorkspaceIdentity } from '../../reconciler/reconcile';

const HELP = `Usage: segment-access audit [--outdir cdktf.out] [--stack NAME]... [--json] [--resend-expired]

Compares each live workspace with its desired state (the files \`cdktf synth\` writes) and reports
drift, unmanaged members (owners flagged), pending invites and which to resend (Segment invites
expire after 7 days), grants past expiry still active, seat use, members outside the SSO
domains, and damage to the record of managed users (checked against Segment's audit trail):
record groups holding permissions, renamed, deleted or edited record groups, members this app
never invited, people invited but unrecorded, interrupted runs, and conflicts with other apps. Read-only, unless --resend-expired is given (then only expired invites this code sent are
re-sent). Exit code: 0 = no findings, 2 = findings, 1 = error. Schedule it for the quarterly review.`;


export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('audit', argv, {
    outdir: { type: 'string' },
    stack: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    'resend-expired': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const now = runNow();
  const audits: WorkspaceAudit[] = [];
  const resent: { workspace: string; emails: string[] }[] = [];
  for (const file of desiredStateFiles(resolve(stringArg(values, 'outdir') ?? 'cdktf.out'), (values.stack as string[] | undefined) ?? [])) {
    const desired = loadDesiredState(file);
    const ws = desired.workspace;
    const api = clientForWorkspace(ws, log);
    const identity = await checkWorkspaceIdentity(api, desired);
    const settings = auditSettings();
    const live = await readLiveState(api, identity, desired.management, settings);
    const audit = auditWorkspace(desired, live, now, settings.auditDelayMs ?? DEFAULT_AUDIT_DELAY_MS);
    audits.push(audit);
    const expired = audit.pendingInvites.filter((p) => p.action === 'resend').map((p) => p.email);
    if (values['resend-expired'] && expired.length) {
      const counts = await resendInvites(api, desired, live, new Set(expired), now);
      resent.push({ workspace: ws.id, emails: expired });
      log(`Re-sent ${counts.reinvited} expired invite(s) in ${ws.name}: ${expired.join(', ')}`);
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ asOf: now.toISOString(), workspaces: audits, resent }, null, 2)}\n`);
  else process.stdout.write(`${renderAuditMarkdown(audits, now)}\n`);
  const findings = audits.reduce((n, a) => n + a.findingCount, 0);
  const resentCount = resent.reduce((n, r) => n + r.emails.length, 0);
  return findings - resentCount > 0 ? 2 : 0;
}
