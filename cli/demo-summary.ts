import type { RequestCounters } from '../emulator/stats';
import { findRoleById, WORKSPACE_OWNER_ROLE_NAME } from '../emulator/roles';
import { normalizeEmail } from '../model/canonical';
import { terminalText } from '../model/output-encoding';

/** A permission as the emulator stores it (only what tells two apart). */
type Permission = { readonly roleId: string; readonly resources: readonly { readonly type: string; readonly id: string }[] };

/** Who holds access in a workspace at one moment: each member and pending invite, with a signature of its permissions. */
export interface AccessSnapshot {
  readonly members: ReadonlyMap<string, { readonly kind: 'member' | 'invited'; readonly permissions: string; readonly owner: boolean }>;
}

/** The access of an (emulated) workspace: members and pending invites, by email. */
export function accessSnapshot(users: readonly { email: string; permissions: Permission[] }[], invites: readonly { email: string; permissions: Permission[] }[]): AccessSnapshot {
  const members = new Map<string, { kind: 'member' | 'invited'; permissions: string; owner: boolean }>();
  const signature = (permissions: readonly Permission[]) =>
    permissions
      .map((p) => `${p.roleId}:${p.resources.map((r) => `${r.type}/${r.id}`).sort().join(',')}`)
      .sort()
      .join(';');
  const owner = (permissions: readonly Permission[]) => permissions.some((p) => findRoleById(p.roleId)?.name === WORKSPACE_OWNER_ROLE_NAME);
  for (const u of users) members.set(normalizeEmail(u.email), { kind: 'member', permissions: signature(u.permissions), owner: owner(u.permissions) });
  for (const i of invites) members.set(normalizeEmail(i.email), { kind: 'invited', permissions: signature(i.permissions), owner: owner(i.permissions) });
  return { members };
}

/** What one deploy did to a workspace's people, and what it cost. */
export interface WorkspaceDeploySummary {
  readonly workspace: string;
  readonly invited: readonly string[];
  readonly repermissioned: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
  /** People the code does not declare (nor removed): never touched. */
  readonly unmanaged: readonly string[];
  readonly owners: ReadonlySet<string>;
  readonly calls: RequestCounters;
}

/**
 * Compares a workspace before and after a deploy. `declared` are the emails the code grants access:
 * a declared person new after the deploy was invited, one whose permissions differ was re-permissioned
 * (a pending invite re-issued counts too); anyone gone was removed; anyone not declared who is still
 * there was left alone.
 */
export function summarizeDeploy(workspace: string, declared: ReadonlySet<string>, before: AccessSnapshot, after: AccessSnapshot, calls: RequestCounters): WorkspaceDeploySummary {
  const summary = { workspace, invited: [] as string[], repermissioned: [] as string[], removed: [] as string[], unchanged: [] as string[], unmanaged: [] as string[], owners: new Set<string>(), calls };
  for (const [email, now] of after.members) {
    const was = before.members.get(email);
    if (now.owner) summary.owners.add(email);
    if (!declared.has(email)) {
      if (was) summary.unmanaged.push(email);
      continue;
    }
    if (!was) summary.invited.push(email);
    else if (was.permissions !== now.permissions) summary.repermissioned.push(email);
    else summary.unchanged.push(email);
  }
  for (const email of before.members.keys()) if (!after.members.has(email)) summary.removed.push(email);
  for (const list of [summary.invited, summary.repermissioned, summary.removed, summary.unchanged, summary.unmanaged]) list.sort();
  return summary;
}

const SHOWN = 3;

function who(emails: readonly string[], owners: ReadonlySet<string>): string {
  const shown = emails.slice(0, SHOWN).map((e) => `${terminalText(e)}${owners.has(e) ? ' (Workspace Owner)' : ''}`);
  return emails.length > SHOWN ? `${shown.join(', ')}, and ${emails.length - SHOWN} more` : shown.join(', ');
}

/** One table per workspace: each row a count and who. */
export function renderDeploySummary(summary: WorkspaceDeploySummary): string[] {
  const rows: [string, number, string][] = [
    ['invited', summary.invited.length, who(summary.invited, summary.owners)],
    ['re-permissioned', summary.repermissioned.length, who(summary.repermissioned, summary.owners)],
    ['removed', summary.removed.length, who(summary.removed, summary.owners)],
    ['unchanged', summary.unchanged.length, who(summary.unchanged, summary.owners)],
    ['unmanaged, left alone', summary.unmanaged.length, who(summary.unmanaged, summary.owners)],
    ['API calls', summary.calls.requests, `${summary.calls.reads} reads, ${summary.calls.writes} writes`],
  ];
  const label = Math.max(...rows.map(([l]) => l.length));
  const count = Math.max(...rows.map(([, n]) => String(n).length));
  return [terminalText(summary.workspace), ...rows.map(([l, n, detail]) => `  ${l.padEnd(label)}  ${String(n).padStart(count)}${detail ? `  ${detail}` : ''}`)];
}
