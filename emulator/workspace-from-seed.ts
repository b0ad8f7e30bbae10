import { AuditActor } from './audit-trail';
import { EmailRules, samePerson } from './emails';
import { segmentStyleId } from './ids';
import { WorkspaceRecord } from './model';
import { directoryOf, labelCatalogOf, validatePermissions } from './permissions';
import { SeedPermission, SeedWorkspace, seedPermissionToInput } from './seed';

/** Builds the stored workspace from a (validated) seed; missing ids derive from stable names. */
export function workspaceFromSeed(seed: SeedWorkspace, nowIso: string, emails: EmailRules): WorkspaceRecord {
  const directory = directoryOf(seed);
  const permissionsOf = (permissions: SeedPermission[] | undefined) =>
    validatePermissions((permissions ?? []).map(seedPermissionToInput), directory, 'permissions');
  const labelled = (resources: SeedWorkspace['sources']) =>
    (resources ?? []).map((resource) => ({ id: resource.id, name: resource.name, labels: { ...resource.labels } }));
  return {
    id: seed.id,
    slug: seed.slug,
    name: seed.name,
    planTier: seed.planTier ?? 'business',
    ...(seed.seatLimit !== undefined ? { seatLimit: seed.seatLimit } : {}),
    labels: labelCatalogOf(seed),
    sources: labelled(seed.sources),
    warehouses: (seed.warehouses ?? []).map(({ id, name }) => ({ id, name })),
    functions: (seed.functions ?? []).map(({ id, name }) => ({ id, name })),
    spaces: labelled(seed.spaces),
    users: (seed.users ?? []).map((user) => {
      const email = emails.stored(user.email);
      return {
        id: user.id ?? segmentStyleId(`user:${seed.id}:${email}`),
        name: user.name,
        email,
        permissions: permissionsOf(user.permissions),
      };
    }),
    invites: (seed.invites ?? []).map((invite) => ({
      email: emails.stored(invite.email),
      permissions: permissionsOf(invite.permissions),
      invitedAt: invite.invitedAt ? new Date(invite.invitedAt).toISOString() : nowIso,
    })),
    groups: (seed.groups ?? []).map((group) => ({
      id: group.id ?? segmentStyleId(`group:${seed.id}:${group.name}`),
      name: group.name,
      permissions: permissionsOf(group.permissions),
      // Members are held as their user's or invite's stored email.
      memberEmails: [...new Set((group.members ?? []).map((member) => emails.stored([...(seed.users ?? []), ...(seed.invites ?? [])].find((p) => samePerson(p.email, member))?.email ?? member)))],
    })),
    auditEvents: (seed.auditEvents ?? [])
      .map((event, index) => ({
        id: segmentStyleId(`audit-seed:${seed.id}:${index}`),
        ...event,
        timestamp: new Date(event.timestamp).toISOString(),
      }))
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp)),
    idSequence: 0,
  };
}

/**
 * Each token and the actor the audit trail shows for it. The default names the token by position,
 * never by value: a token must not leak into the trail.
 */
export function actorsOfSeedTokens(seed: SeedWorkspace): Array<[token: string, actor: AuditActor]> {
  return seed.tokens.map((token, index) => [token, seed.tokenActors?.[token] ?? { actor: `api-token:${seed.slug}:${index + 1}` }]);
}
