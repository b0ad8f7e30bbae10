import { validationError } from './errors';
import { WorkspaceRecord } from './model';
import { holdsRole } from './permissions';
import { workspaceOwnerRole } from './roles';

/** Users holding Workspace Owner, directly or through a group they belong to. */
export function workspaceOwnerIds(workspace: WorkspaceRecord): string[] {
  const ownerRoleId = workspaceOwnerRole().id;
  const ownerGroupMembers = new Set(
    workspace.groups.filter((group) => holdsRole(group.permissions, ownerRoleId)).flatMap((group) => group.memberEmails),
  );
  return workspace.users
    .filter((user) => holdsRole(user.permissions, ownerRoleId) || ownerGroupMembers.has(user.email))
    .map((user) => user.id);
}

/**
 * Segment never lets a workspace lose its last owner, whichever call would cause it
 * (deleting the user, replacing their permissions, changing an owners' group).
 */
export function assertOwnerRemains(before: WorkspaceRecord, after: WorkspaceRecord): void {
  if (workspaceOwnerIds(before).length > 0 && workspaceOwnerIds(after).length === 0) {
    throw validationError(
      `This change would leave workspace "${before.id}" without a Workspace Owner; at least one user must keep the Workspace Owner role.`,
    );
  }
}
