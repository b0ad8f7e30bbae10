export { startEmulator } from './server';
export type { EmulatorOptions, RunningEmulator, LoopbackHost } from './server';
export { runEmulatorCommand } from './cli';
export { EmulatorState } from './state';
export type { WorkspaceSummary, GroupMembers } from './state';
export { EmulatorClock } from './clock';
export { parseSeed, loadSeedFile, seedSchema, seedWorkspaceSchema, seedPermissionSchema, SeedError } from './seed';
export type { Seed, SeedWorkspace, SeedPermission } from './seed';
export { ROLE_CATALOG, findRoleById, findRoleByName, rolesForTier, WORKSPACE_OWNER_ROLE_NAME } from './roles';
export { AuditEventType, AuditResourceType } from './audit-trail';
export type { AuditActor, AuditQuery } from './audit-trail';
export { DAY_MS, emulatorSettingsSchema } from './settings';
export {
  AcceptedInviteAccess,
  AuditCursor,
  AuditEventNames,
  AuditResourceTypes,
  BatchDeleteUnknown,
  DuplicateGroupNames,
  EmailCase,
  ErrorTypes,
  ExistingInvitee,
  PageSizeLimit,
  SsoProvisioning,
} from './behaviours';
export { EmulatorProfile, PROFILE_SETTINGS, profileSettings } from './profiles';
export { EXTRA_FIELD } from './response-variants';
export type { EmulatorSettings, EmulatorSettingsInput } from './settings';
export type { RoleDefinition } from './roles';
export { FaultInjector, faultOptionsSchema } from './faults';
export type { FaultOptions } from './faults';
export type { RateLimitOptions } from './rate-limit';
export type { EmulatorStats, RequestCounters } from './stats';
export type { StateSnapshot } from './snapshot';
export { PLAN_TIERS, RESOURCE_TYPES } from './model';
export type {
  ResourceType,
  PlanTier,
  Label,
  LabelRecord,
  AuditEventRecord,
  ResourceGrant,
  StoredPermission,
  UserRecord,
  InviteRecord,
  GroupRecord,
  WorkspaceRecord,
} from './model';
export type { PermissionInput } from './permissions';
export type { InviteInput, InvitePermissionInput } from './workspace-invites';
export { DEFAULT_PAGE_COUNT, MAX_ITEMS_PER_CALL, MAX_PAGE_COUNT } from './limits';
