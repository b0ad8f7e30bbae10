/**
 * Field lists of the v73 models the client reads, transcribed from segmentio/public-api-sdk-typescript
 * at 73.2.0 (commit 3780bc6, `model/<name>.ts`): names, optionality and types only. Used to assert the
 * emulator's answers against v73 directly, where the 47.x SDK on npm is older.
 */
type FieldType = 'string' | 'number' | 'nullable-string' | 'any' | { readonly array: FieldType } | { readonly model: string } | { readonly oneOf: readonly string[] };
type Field = { readonly type: FieldType; readonly optional?: boolean };

const str: Field = { type: 'string' };
const arrayOf = (model: string, optional = false): Field => ({ type: { array: { model } }, optional });
const model = (name: string): Field => ({ type: { model: name } });
const success: Field = { type: { oneOf: ['SUCCESS'] } };

export const V73_MODELS = {
  // model/workspaceV1.ts, model/roleV1.ts, model/minimalUserV1.ts
  WorkspaceV1: { id: str, slug: str, name: str },
  RoleV1: { id: str, name: str, description: str },
  MinimalUserV1: { id: str, name: str, email: str },
  // model/userV1.ts, model/permissionV1.ts, model/permissionResourceV1.ts, model/allowedLabelBeta.ts
  UserV1: { id: str, name: str, email: str, permissions: arrayOf('PermissionV1', true) },
  PermissionV1: { roleName: str, roleId: str, resources: arrayOf('PermissionResourceV1'), labels: arrayOf('AllowedLabelBeta', true) },
  // model/accessPermissionV1.ts: what replace/add permissions answer (no permission-level labels)
  AccessPermissionV1: { roleId: str, roleName: str, resources: arrayOf('PermissionResourceV1') },
  PermissionResourceV1: { id: str, type: { type: { oneOf: ['FUNCTION', 'SOURCE', 'SPACE', 'WAREHOUSE', 'WORKSPACE'] } }, labels: arrayOf('AllowedLabelBeta', true) },
  AllowedLabelBeta: { key: str, value: str, description: { type: 'string', optional: true } },
  LabelV1: { key: str, value: str, description: { type: 'string', optional: true } },
  // model/userGroupV1.ts
  UserGroupV1: { memberCount: { type: 'number' }, permissions: arrayOf('PermissionV1', true), id: str, name: str },
  // model/paginationOutput.ts
  PaginationOutput: { current: str, next: { type: 'nullable-string', optional: true }, previous: { type: 'nullable-string', optional: true }, totalEntries: { type: 'number', optional: true } },
  // model/auditEventV1.ts
  AuditEventV1: { id: str, timestamp: str, type: str, actor: str, actorEmail: { type: 'string', optional: true }, resourceId: str, resourceType: str, resourceName: str },
  // model/requestError.ts, model/requestErrorEnvelope.ts
  RequestError: { type: str, message: { type: 'string', optional: true }, field: { type: 'string', optional: true }, data: { type: 'any', optional: true }, status: { type: 'number', optional: true } },
  RequestErrorEnvelope: { errors: arrayOf('RequestError') },
  // The `data` of each endpoint: model/<operation>V1Output.ts
  GetWorkspaceV1Output: { workspace: model('WorkspaceV1') },
  ListRolesV1Output: { roles: arrayOf('RoleV1'), pagination: model('PaginationOutput') },
  ListUsersV1Output: { users: arrayOf('UserV1'), pagination: model('PaginationOutput') },
  GetUserV1Output: { user: model('UserV1') },
  DeleteUsersV1Output: { status: success },
  ReplacePermissionsForUserV1Output: { permissions: arrayOf('AccessPermissionV1') },
  AddPermissionsToUserV1Output: { permissions: arrayOf('AccessPermissionV1') },
  ListInvitesV1Output: { invites: { type: { array: 'string' } }, pagination: model('PaginationOutput') },
  CreateInvitesV1Output: { emails: { type: { array: 'string' } } },
  DeleteInvitesV1Output: { status: success },
  ListUserGroupsV1Output: { userGroups: arrayOf('UserGroupV1'), pagination: model('PaginationOutput') },
  CreateUserGroupV1Output: { userGroup: model('UserGroupV1') },
  GetUserGroupV1Output: { userGroup: model('UserGroupV1') },
  UpdateUserGroupV1Output: { userGroup: model('UserGroupV1') },
  DeleteUserGroupV1Output: { status: success },
  ReplacePermissionsForUserGroupV1Output: { permissions: arrayOf('AccessPermissionV1') },
  AddUsersToUserGroupV1Output: { userGroup: model('UserGroupV1') },
  ReplaceUsersInUserGroupV1Output: { userGroup: model('UserGroupV1') },
  RemoveUsersFromUserGroupV1Output: { status: success },
  ListUsersFromUserGroupV1Output: { users: arrayOf('MinimalUserV1'), pagination: model('PaginationOutput') },
  ListInvitesFromUserGroupV1Output: { emails: { type: { array: 'string' } }, pagination: model('PaginationOutput') },
  ListLabelsV1Output: { labels: arrayOf('LabelV1') },
  CreateLabelV1Output: { label: model('LabelV1') },
  DeleteLabelV1Output: { status: success },
  ListAuditEventsV1Output: { events: arrayOf('AuditEventV1'), pagination: { type: { model: 'PaginationOutput' }, optional: true } },
} satisfies Record<string, Record<string, Field>>;

export type ModelName = keyof typeof V73_MODELS;

/** Every way `value` departs from the v73 model: missing required fields, unknown fields, wrong types. */
export function v73Problems(name: ModelName, value: unknown, path: string = name): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected a ${name} object`];
  const fields: Record<string, Field> = (V73_MODELS as Record<string, Record<string, Field>>)[name];
  const problems: string[] = [];
  for (const key of Object.keys(value)) if (!(key in fields)) problems.push(`${path}.${key}: not a field of ${name}`);
  for (const [key, field] of Object.entries(fields)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) {
      if (!field.optional) problems.push(`${path}.${key}: required by ${name}, missing`);
      continue;
    }
    problems.push(...typeProblems(field.type, item, `${path}.${key}`));
  }
  return problems;
}

function typeProblems(type: FieldType, value: unknown, path: string): string[] {
  if (type === 'any') return [];
  if (type === 'string') return typeof value === 'string' ? [] : [`${path}: expected a string`];
  if (type === 'number') return typeof value === 'number' ? [] : [`${path}: expected a number`];
  if (type === 'nullable-string') return value === null || typeof value === 'string' ? [] : [`${path}: expected a string or null`];
  if ('oneOf' in type) return type.oneOf.includes(value as string) ? [] : [`${path}: expected one of ${type.oneOf.join(', ')}`];
  if ('model' in type) return v73Problems(type.model as ModelName, value, path);
  if (!Array.isArray(value)) return [`${path}: expected an array`];
  return value.flatMap((item, index) => typeProblems(type.array, item, `${path}[${index}]`));
}
