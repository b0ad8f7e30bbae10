import { SegmentApiClient } from '../../api/client';
import type { RunningEmulator } from '../../emulator/server';
import type { DesiredState } from '../../model/desired-state';
import { intentDigest } from '../../reconciler/ownership';
import { RoleCatalog, toInvitePermissions, toPermissionInputs } from '../../reconciler/permissions';

/**
 * What segment-access 0.1 wrote for a desired state, call by call as its reconciler made them, with
 * the app's token: an intent, a dated record per permission set with its invites, a group-grant record
 * (by group name) and the group's permissions; then, the first collaborator having accepted, a run
 * that folded them into `members`. None of the names is signed. The workspace is the emulator's first.
 */
export async function deployedBy01(emulator: RunningEmulator, token: string, desired: DesiredState): Promise<void> {
  const api = new SegmentApiClient({ token, baseUrl: emulator.url, sleep: async () => undefined, writesPerWindow: 100_000, windowMs: 1000 });
  const roles = new RoleCatalog(await api.listRoles());
  const intent = await api.createGroup(`segment-access:default:intent:20261127T120000Z:${intentDigest(desired.collaborators)}`);
  const dated = new Map<string, string>();
  for (const c of desired.collaborators) {
    const name = `segment-access:default:invited:${c.fingerprint}:2026-11-27`;
    dated.set(c.fingerprint, dated.get(c.fingerprint) ?? (await api.createGroup(name)).id);
    await api.createInvites([{ email: c.email, permissions: toInvitePermissions(c.permissions, roles) }]);
    await api.addGroupMembers(dated.get(c.fingerprint)!, [c.email]);
  }
  for (const g of desired.groupGrants) {
    const granted = (await api.listGroups()).find((x) => x.name === g.groupName)!;
    await api.createGroup(`segment-access:default:group-grant:${g.groupName}`);
    await api.replaceGroupPermissions(granted.id, toPermissionInputs(g.permissions, roles));
  }
  await api.deleteGroup(intent.id);
  const first = desired.collaborators[0];
  if (!first) return;
  emulator.acceptInvites(desired.workspace.id, [first.email]);
  // 0.1 folded a dated record only once everyone in it had accepted.
  if (desired.collaborators.some((c) => c !== first && c.fingerprint === first.fingerprint)) return;
  const fold = await api.createGroup('segment-access:default:intent:20261127T130000Z:000000000000');
  const members = await api.createGroup('segment-access:default:members');
  await api.addGroupMembers(members.id, [first.email]);
  await api.deleteGroup(dated.get(first.fingerprint)!);
  await api.deleteGroup(fold.id);
}
