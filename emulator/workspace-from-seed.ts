import { normalizeEmail } from './emails';
import { segmentStyleId } from './ids';
import { WorkspaceRecord } from './model';
import { directoryOf, validatePermissions } from './permissions';
import { SeedPermission, SeedWorkspace, seedPermissionToInput } from './seed';

/** Builds the stored workspace from a (validated) seed; missing ids derive from stable names. */
export function workspaceFromSeed(seed: SeedWorkspace, nowIso: string): WorkspaceRecord {
  const directory = directoryOf(seed);
  const permissionsOf = (permissions: SeedPermission[] | undefined) =>
    validatePermissions((permissions ?? []).map(seedPermissionToInput), directory, 'permissions');
  return {
    id: seed.id,
    slug: seed.slug,
    name: seed.name,
    ...(seed.seatLimit !== undefined ? { seatLimit: seed.seatLimit } : {}),
    sources: (seed.sources ?? []).map((source) => ({ id: source.id, name: source.name, labels: { ...source.labels } })),
    warehouses: (seed.warehouses ?? []).map(({ id, name }) => ({ id, name })),
    functions: (seed.functions ?? []).map(({ id, name }) => ({ id, name })),
    spaces: (seed.spaces ?? []).map(({ id, name }) => ({ id, name })),
    users: (seed.users ?? []).map((user) => {
      const email = normalizeEmail(user.email);
      return {
        id: user.id ?? segmentStyleId(`user:${seed.id}:${email}`),
        name: user.name,
        email,
        permissions: permissionsOf(user.permissions),
      };
    }),
    invites: (seed.invites ?? []).map((invite) => ({
      email: normalizeEmail(invite.email),
      permissions: permissionsOf(invite.permissions),
      invitedAt: invite.invitedAt ? new Date(invite.invitedAt).toISOString() : nowIso,
    })),
    groups: (seed.groups ?? []).map((group) => ({
      id: group.id ?? segmentStyleId(`group:${seed.id}:${group.name}`),
      name: group.name,
      permissions: permissionsOf(group.permissions),
      memberEmails: [...new Set((group.members ?? []).map(normalizeEmail))],
    })),
    idSequence: 0,
  };
}
