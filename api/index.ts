export { resolveBaseUrl, PUBLIC_API_URL_VARIABLE, type ResolveBaseUrlOptions } from './base-url';
export { MAX_ITEMS_PER_CALL } from './chunks';
export { SegmentApiClient, type AuditEventQuery } from './client';
export {
  ClientErrorType,
  SegmentApiError,
  SegmentApiResponseError,
  type ResponseIssue,
  type SegmentApiErrorDetail,
  type SegmentApiErrorInit,
} from './errors';
export type { ApiEvent, RetryReason, WriteWaitReason } from './events';
export type { HttpMethod } from './http-method';
export type {
  InviteInputV1,
  InvitePermissionV1,
  LabelInputV1,
  PermissionInputV1,
  PermissionResourceInputV1,
  ResourceTypeName,
} from './inputs';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type SegmentApiClientOptions } from './options';
export type { QuerySyntax } from './query';
export type {
  AuditEventV1,
  LabelV1,
  MinimalUserV1,
  PermissionResourceV1,
  PermissionV1,
  RoleV1,
  UserGroupV1,
  UserV1,
  WorkspaceV1,
} from './schemas';
export type { ApiStats } from './stats';
/** The response schemas, e.g. for an emulator to check its own answers. */
export * as SegmentApiSchemas from './schemas';
