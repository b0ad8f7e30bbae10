import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isValidEmail, normalizeEmail } from './emails';
import { ApiError } from './errors';
import { PLAN_TIERS, RESOURCE_TYPES } from './model';
import { directoryOf, labelCatalogOf, labelKey, PermissionInput, validatePermissions } from './permissions';
import { findRoleByName, ROLE_CATALOG } from './roles';
import { emulatorSettingsSchema } from './settings';

const labelSchema = z.object({ key: z.string().min(1), value: z.string() }).strict();

const seedResourceSchema = z
  .object({ type: z.enum(RESOURCE_TYPES), id: z.string().min(1), labels: z.array(labelSchema).optional() })
  .strict();

/** Seeds name roles by NAME (readable, stable across emulators); the API speaks role ids. */
export const seedPermissionSchema = z
  .object({
    roleName: z.string().refine((name) => findRoleByName(name) !== undefined, {
      error: (issue) =>
        `Unknown role name ${JSON.stringify(issue.input)}; expected one of: ${ROLE_CATALOG.map((r) => r.name).join(', ')}`,
    }),
    resources: z.array(seedResourceSchema).min(1),
  })
  .strict();

const emailSchema = z.string().refine((email) => isValidEmail(normalizeEmail(email)), { error: 'Invalid email address' });
const namedResourceSchema = z.object({ id: z.string().min(1), name: z.string().min(1) }).strict();
const labelledResourceSchema = namedResourceSchema.extend({ labels: z.record(z.string(), z.string()).optional() });

/** Who the audit trail names for calls made with a token (segment-docs iam/audit-trail.md: actors include access tokens). */
const tokenActorSchema = z.object({ actor: z.string().min(1), actorEmail: z.string().optional() }).strict();

/** AuditEventV1 without its id, as the seed and `POST /__emulator/.../audit-events` give it. */
export const auditEventInputSchema = z
  .object({
    timestamp: z.iso.datetime({ offset: true }).optional(),
    type: z.string().min(1),
    actor: z.string().min(1),
    actorEmail: z.string().optional(),
    resourceId: z.string().min(1),
    resourceType: z.string().min(1),
    resourceName: z.string(),
  })
  .strict();

const seedAuditEventSchema = auditEventInputSchema.extend({ timestamp: z.iso.datetime({ offset: true }) });

const workspaceObjectSchema = z
  .object({
    id: z.string().min(1),
    slug: z.string().min(1),
    name: z.string().min(1),
    tokens: z.array(z.string().min(1)).min(1, { error: 'A workspace needs at least one bearer token' }),
    /** Audit-trail actors by token; a token not listed acts as "api-token:<slug>:<n>". */
    tokenActors: z.record(z.string(), tokenActorSchema).optional(),
    /** @default "business" */
    planTier: z.enum(PLAN_TIERS).optional(),
    /** An emulator assumption: Segment documents no seat rule. */
    seatLimit: z.number().int().positive().optional(),
    /** The workspace's labels (`GET /labels`). @default every label its sources and spaces carry */
    labels: z.array(z.object({ key: z.string().min(1), value: z.string().min(1), description: z.string().optional() }).strict()).optional(),
    sources: z.array(labelledResourceSchema).optional(),
    warehouses: z.array(namedResourceSchema).optional(),
    functions: z.array(namedResourceSchema).optional(),
    spaces: z.array(labelledResourceSchema).optional(),
    /** Events from before the emulator started, e.g. changes made in the Segment app. */
    auditEvents: z.array(seedAuditEventSchema).optional(),
    users: z
      .array(
        z
          .object({
            id: z.string().min(1).optional(),
            name: z.string().min(1),
            email: emailSchema,
            permissions: z.array(seedPermissionSchema).optional(),
          })
          .strict(),
      )
      .optional(),
    invites: z
      .array(
        z
          .object({
            email: emailSchema,
            permissions: z.array(seedPermissionSchema).optional(),
            invitedAt: z.iso.datetime({ offset: true }).optional(),
          })
          .strict(),
      )
      .optional(),
    groups: z
      .array(
        z
          .object({
            id: z.string().min(1).optional(),
            name: z.string().min(1),
            permissions: z.array(seedPermissionSchema).optional(),
            members: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const seedWorkspaceSchema = workspaceObjectSchema.superRefine(checkWorkspaceConsistency);

export const seedSchema = z
  .object({
    /** Behaviours Segment does not document (invite expiry, last-owner refusal, seat limits, strictness). */
    settings: emulatorSettingsSchema.partial().optional(),
    workspaces: z.array(seedWorkspaceSchema).min(1, { error: 'A seed needs at least one workspace' }),
  })
  .strict()
  .superRefine(checkSeedConsistency);

export type Seed = z.infer<typeof seedSchema>;
export type SeedWorkspace = z.infer<typeof seedWorkspaceSchema>;
export type SeedPermission = z.infer<typeof seedPermissionSchema>;

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

/** Validates a seed object; throws SeedError listing every problem with its path. */
export function parseSeed(input: unknown, origin = 'seed'): Seed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    throw new SeedError(`Invalid ${origin}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function loadSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`Seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSeed(json, `seed file ${path}`);
}

/** Translates a seed permission (role by name) to the API's input shape (role by id). */
export function seedPermissionToInput(permission: SeedPermission): PermissionInput {
  const role = findRoleByName(permission.roleName);
  if (!role) throw new SeedError(`Unknown role name "${permission.roleName}"`);
  return { roleId: role.id, resources: permission.resources };
}

type WorkspaceShape = z.infer<typeof workspaceObjectSchema>;
type Context = z.RefinementCtx;

function checkWorkspaceConsistency(workspace: WorkspaceShape, ctx: Context): void {
  for (const kind of ['sources', 'warehouses', 'functions', 'spaces'] as const) {
    reportDuplicates((workspace[kind] ?? []).map((item) => item.id), ctx, kind, 'id');
  }
  const labels = labelCatalogOf(workspace);
  reportDuplicates(labels.map((label) => `${label.key}:${label.value}`), ctx, 'labels', 'label');
  const known = new Set(labels.map(labelKey));
  for (const kind of ['sources', 'spaces'] as const) {
    (workspace[kind] ?? []).forEach((resource, index) =>
      Object.entries(resource.labels ?? {}).forEach(([key, value]) => {
        if (!known.has(labelKey({ key, value }))) {
          ctx.addIssue({ code: 'custom', message: `Label "${key}:${value}" is not in the workspace's labels`, path: [kind, index, 'labels', key] });
        }
      }),
    );
  }
  for (const token of Object.keys(workspace.tokenActors ?? {})) {
    if (!workspace.tokens.includes(token)) ctx.addIssue({ code: 'custom', message: 'tokenActors names a token the workspace does not have', path: ['tokenActors'] });
  }
  if (workspace.planTier === 'team' && (workspace.groups ?? []).length > 0) {
    ctx.addIssue({ code: 'custom', message: 'A team-plan workspace has no user groups (a Business-plan feature)', path: ['groups'] });
  }
  const users = workspace.users ?? [];
  const invites = workspace.invites ?? [];
  const groups = workspace.groups ?? [];
  reportDuplicates(users.flatMap((user) => (user.id ? [user.id] : [])), ctx, 'users', 'user id');
  reportDuplicates([...users, ...invites].map((person) => normalizeEmail(person.email)), ctx, 'users/invites', 'email');
  reportDuplicates(groups.map((group) => group.name), ctx, 'groups', 'group name');
  reportDuplicates(groups.flatMap((group) => (group.id ? [group.id] : [])), ctx, 'groups', 'group id');

  const people = new Set([...users, ...invites].map((person) => normalizeEmail(person.email)));
  groups.forEach((group, groupIndex) =>
    (group.members ?? []).forEach((member, memberIndex) => {
      if (!people.has(normalizeEmail(member))) {
        ctx.addIssue({
          code: 'custom',
          message: `Group member "${member}" is neither a user nor an invite of workspace "${workspace.id}"`,
          path: ['groups', groupIndex, 'members', memberIndex],
        });
      }
    }),
  );

  if (workspace.seatLimit !== undefined && users.length + invites.length > workspace.seatLimit) {
    ctx.addIssue({
      code: 'custom',
      message: `${users.length} users + ${invites.length} invites exceed the seat limit of ${workspace.seatLimit}`,
      path: ['seatLimit'],
    });
  }

  const directory = directoryOf(workspace);
  const holders: Array<[string, Array<{ permissions?: SeedPermission[] }>]> = [
    ['users', users],
    ['invites', invites],
    ['groups', groups],
  ];
  for (const [kind, list] of holders) {
    list.forEach((holder, holderIndex) => {
      const permissions = holder.permissions ?? [];
      // Unknown role names are already reported by the schema; don't report them twice.
      if (permissions.some((permission) => !findRoleByName(permission.roleName))) return;
      try {
        validatePermissions(permissions.map(seedPermissionToInput), directory, 'permissions');
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message, path: [kind, holderIndex, ...fieldPath(error.field)] });
      }
    });
  }
}

function checkSeedConsistency(seed: { workspaces: Array<{ id: string; slug: string; tokens: string[] }> }, ctx: Context): void {
  reportDuplicates(seed.workspaces.map((workspace) => workspace.id), ctx, 'workspaces', 'workspace id');
  reportDuplicates(seed.workspaces.map((workspace) => workspace.slug), ctx, 'workspaces', 'workspace slug');
  // A token selects exactly one workspace, so it may not be shared.
  reportDuplicates(seed.workspaces.flatMap((workspace) => workspace.tokens), ctx, 'workspaces', 'token', true);
}

function reportDuplicates(values: string[], ctx: Context, path: string, what: string, secret = false): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        message: secret ? `The same ${what} is used twice` : `Duplicate ${what} "${value}"`,
        path: [path],
      });
    }
    seen.add(value);
  }
}

/** "permissions[0].resources[1].id" -> ['permissions', 0, 'resources', 1, 'id'] */
function fieldPath(field: string | undefined): Array<string | number> {
  if (!field) return [];
  return field
    .split(/\.|\[|\]/)
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
