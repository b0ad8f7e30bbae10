import type { z } from 'zod';
import { chunk, chunkForQuery } from './chunks';
import { SegmentApiResponseError } from './errors';
import type { HttpMethod } from './http-method';
import type { InviteInputV1, PermissionInputV1 } from './inputs';
import { resolveClientOptions, type SegmentApiClientOptions } from './options';
import type { QueryParams, QuerySyntax } from './query';
import {
  AuditEventsPageSchema,
  CreatedInvitesSchema,
  LabelsDataSchema,
  GroupInvitesPageSchema,
  GroupUsersPageSchema,
  InvitesPageSchema,
  PermissionsDataSchema,
  RolesPageSchema,
  StatusSchema,
  UserDataSchema,
  UserGroupDataSchema,
  UserGroupsPageSchema,
  UsersPageSchema,
  WorkspaceDataSchema,
  type AuditEventV1,
  type LabelV1,
  type MinimalUserV1,
  type PaginationV1,
  type PermissionV1,
  type RoleV1,
  type UserGroupV1,
  type UserV1,
  type WorkspaceV1,
} from './schemas';
import type { ApiStats } from './stats';
import { ApiTransport } from './transport';

/** Filters of `GET /audit-events` (SDK api/auditTrailApi.ts listAuditEvents). */
export interface AuditEventQuery {
  /** ISO 8601; events at or after this time. */
  readonly startTime?: string;
  /** ISO 8601; events at or before this time. @default now (fixed at the first page, so paging is stable) */
  readonly endTime?: string;
  readonly resourceId?: string;
  readonly resourceType?: string;
}

/**
 * Typed client for the Segment Public API endpoints segment-access needs (IAM users,
 * invites, roles, user groups, labels, the audit trail; the workspace). Lists return every
 * page; collection writes are split into calls of at most 200 items.
 */
export class SegmentApiClient {
  private readonly transport: ApiTransport;
  private readonly pageSize: number;
  private readonly querySyntax: QuerySyntax;
  private readonly now: () => number;

  constructor(options: SegmentApiClientOptions) {
    const { token, ...rest } = resolveClientOptions(options);
    this.transport = new ApiTransport(rest, token);
    this.pageSize = rest.pageSize;
    this.querySyntax = rest.querySyntax;
    this.now = rest.now;
  }

  /** A snapshot of the request counters since construction or `resetStats()`. */
  get stats(): ApiStats {
    return this.transport.stats.snapshot();
  }

  resetStats(): void {
    this.transport.stats.reset();
  }

  // --- workspace ---

  /** The workspace the token belongs to. */
  async getWorkspace(): Promise<WorkspaceV1> {
    return (await this.call('GET', '/', WorkspaceDataSchema)).workspace;
  }

  // --- users ---

  async listUsers(): Promise<UserV1[]> {
    return this.listAll('/users', undefined, UsersPageSchema, (page) => page.users);
  }

  async getUser(id: string): Promise<UserV1> {
    return (await this.call('GET', '/users/{id}', UserDataSchema, { id })).user;
  }

  /** Removes users from the workspace. */
  async deleteUsers(ids: readonly string[]): Promise<void> {
    for (const userIds of chunkForQuery('userIds', ids, this.querySyntax)) {
      await this.call('DELETE', '/users', StatusSchema, { query: { userIds } });
    }
  }

  /** Makes `permissions` the user's complete set. */
  async replaceUserPermissions(id: string, permissions: readonly PermissionInputV1[]): Promise<PermissionV1[]> {
    const body = { permissions };
    return (await this.call('PUT', '/users/{id}/permissions', PermissionsDataSchema, { id, body })).permissions;
  }

  /** Adds `permissions` to what the user already has. */
  async addUserPermissions(id: string, permissions: readonly PermissionInputV1[]): Promise<PermissionV1[]> {
    const body = { permissions };
    return (await this.call('POST', '/users/{id}/permissions', PermissionsDataSchema, { id, body })).permissions;
  }

  // --- invites ---

  /** Emails with a pending invite. */
  async listInvites(): Promise<string[]> {
    return this.listAll('/invites', undefined, InvitesPageSchema, (page) => page.invites);
  }

  /** Sends invites; returns the invited emails. */
  async createInvites(invites: readonly InviteInputV1[]): Promise<string[]> {
    const emails: string[] = [];
    for (const part of chunk(invites)) {
      emails.push(...(await this.call('POST', '/invites', CreatedInvitesSchema, { body: { invites: part } })).emails);
    }
    return emails;
  }

  async deleteInvites(emails: readonly string[]): Promise<void> {
    for (const part of chunkForQuery('emails', emails, this.querySyntax)) {
      await this.call('DELETE', '/invites', StatusSchema, { query: { emails: part } });
    }
  }

  // --- roles ---

  async listRoles(): Promise<RoleV1[]> {
    return this.listAll('/roles', undefined, RolesPageSchema, (page) => page.roles);
  }

  // --- labels ---

  /** The workspace's labels (`GET /labels` is not paginated). */
  async listLabels(): Promise<LabelV1[]> {
    return (await this.call('GET', '/labels', LabelsDataSchema)).labels;
  }

  // --- audit trail ---

  /** Audit trail events, newest first, every page (a Business-plan feature: 403 on other plans). */
  async listAuditEvents(query: AuditEventQuery = {}): Promise<AuditEventV1[]> {
    const endTime = query.endTime ?? new Date(this.now()).toISOString();
    const filters = { startTime: query.startTime, endTime, resourceId: query.resourceId, resourceType: query.resourceType };
    return this.listAll('/audit-events', undefined, AuditEventsPageSchema, (page) => page.events, filters);
  }

  // --- user groups ---

  async listGroups(): Promise<UserGroupV1[]> {
    return this.listAll('/groups', undefined, UserGroupsPageSchema, (page) => page.userGroups);
  }

  async createGroup(name: string): Promise<UserGroupV1> {
    return (await this.call('POST', '/groups', UserGroupDataSchema, { body: { name } })).userGroup;
  }

  async getGroup(id: string): Promise<UserGroupV1> {
    return (await this.call('GET', '/groups/{id}', UserGroupDataSchema, { id })).userGroup;
  }

  async renameGroup(id: string, name: string): Promise<UserGroupV1> {
    return (await this.call('PATCH', '/groups/{id}', UserGroupDataSchema, { id, body: { name } })).userGroup;
  }

  async deleteGroup(id: string): Promise<void> {
    await this.call('DELETE', '/groups/{id}', StatusSchema, { id });
  }

  /** Makes `permissions` the group's complete set. */
  async replaceGroupPermissions(id: string, permissions: readonly PermissionInputV1[]): Promise<PermissionV1[]> {
    const body = { permissions };
    return (await this.call('PUT', '/groups/{id}/permissions', PermissionsDataSchema, { id, body })).permissions;
  }

  /** Members who have joined the workspace. */
  async listGroupUsers(id: string): Promise<MinimalUserV1[]> {
    return this.listAll('/groups/{id}/users', id, GroupUsersPageSchema, (page) => page.users);
  }

  /** Emails invited to the workspace as members of this group. */
  async listGroupInvites(id: string): Promise<string[]> {
    return this.listAll('/groups/{id}/invites', id, GroupInvitesPageSchema, (page) => page.emails);
  }

  async addGroupMembers(id: string, emails: readonly string[]): Promise<void> {
    for (const part of chunk(emails)) {
      await this.call('POST', '/groups/{id}/users', UserGroupDataSchema, { id, body: { emails: part } });
    }
  }

  /** Makes `emails` the group's complete membership. Beyond 200: replace with the first 200, then add the rest. */
  async replaceGroupMembers(id: string, emails: readonly string[]): Promise<void> {
    const [first = [], ...rest] = chunk(emails);
    // Segment spells this path with a singular `group`.
    await this.call('PUT', '/group/{id}/users', UserGroupDataSchema, { id, body: { emails: first } });
    for (const part of rest) {
      await this.call('POST', '/groups/{id}/users', UserGroupDataSchema, { id, body: { emails: part } });
    }
  }

  async removeGroupMembers(id: string, emails: readonly string[]): Promise<void> {
    for (const part of chunkForQuery('emails', emails, this.querySyntax)) {
      // Singular `group`, as Segment spells it.
      await this.call('DELETE', '/group/{id}/users', StatusSchema, { id, query: { emails: part } });
    }
  }

  // --- plumbing ---

  private call<T>(
    method: HttpMethod,
    route: string,
    schema: z.ZodType<T>,
    extra: { id?: string; query?: QueryParams; body?: unknown } = {},
  ): Promise<T> {
    return this.transport.request({ method, route, schema, ...extra });
  }

  /** Follows `pagination.next` until it is absent. */
  private async listAll<P extends { pagination: PaginationV1 }, I>(
    route: string,
    id: string | undefined,
    schema: z.ZodType<P>,
    itemsOf: (page: P) => I[],
    filters: Readonly<Record<string, string | undefined>> = {},
  ): Promise<I[]> {
    const items: I[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    do {
      const query = { ...filters, pagination: { count: this.pageSize, cursor } };
      const page = await this.call('GET', route, schema, { id, query });
      items.push(...itemsOf(page));
      cursor = page.pagination.next || undefined;
      if (cursor !== undefined) {
        // A server that hands back a cursor twice would otherwise keep us listing forever.
        if (seenCursors.has(cursor)) {
          throw new SegmentApiResponseError('GET', route, 200, [
            { field: 'data.pagination.next', message: 'repeats an earlier cursor; stopping to avoid an endless listing' },
          ]);
        }
        seenCursors.add(cursor);
      }
    } while (cursor !== undefined);
    return items;
  }
}
