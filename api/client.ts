import type { z } from 'zod';
import { normalizeEmail } from '../model/canonical';
import { writeAtMostOnce, type AtMostOnceWrite, type RepeatPolicy } from './at-most-once';
import { SourcesPageSchema, WarehousesPageSchema, type SourceV1, type WarehouseV1 } from './catalog-schemas';
import { chunk, chunkForQuery } from './chunks';
import { InviteesAlreadyPresentError, SegmentApiError, SegmentApiResponseError } from './errors';
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

  /** Removes users from the workspace. Ids already gone are not sent again (see at-most-once.ts). */
  async deleteUsers(ids: readonly string[]): Promise<void> {
    await this.deleteInBatches('/users', undefined, 'userIds', ids, async (pending) => {
      const present = new Set((await this.listUsers()).map((user) => user.id));
      return pending.filter((id) => present.has(id));
    });
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

  /**
   * Sends invites; returns the emails Segment invited, as it holds them. After a lost response the
   * invites are read again and only those not yet sent are repeated. People Segment says are already
   * members or invited (a 409 or 422 naming them, or left out of its answer) throw
   * InviteesAlreadyPresentError, which names who was invited all the same.
   */
  async createInvites(invites: readonly InviteInputV1[]): Promise<string[]> {
    const emails: string[] = [];
    for (const part of chunk(invites)) emails.push(...(await this.createInviteBatch(part)));
    return emails;
  }

  private async createInviteBatch(batch: readonly InviteInputV1[]): Promise<string[]> {
    let pending = batch;
    const found: string[] = [];
    let invited: string[];
    try {
      invited = await this.atMostOnce({
        method: 'POST',
        path: '/invites',
        send: async (priorAttempts) => [...found, ...(await this.sendOnce('POST', '/invites', CreatedInvitesSchema, { body: { invites: pending } }, priorAttempts)).emails],
        reread: async () => {
          const live = byNormalizedEmail(await this.listInvites());
          found.push(...pending.flatMap((invite) => live.get(normalizeEmail(invite.email)) ?? []));
          pending = pending.filter((invite) => !live.has(normalizeEmail(invite.email)));
          return pending.length === 0 ? found : undefined;
        },
      });
    } catch (error) {
      if (!(error instanceof SegmentApiError) || !mayBeAlreadyPresent(error)) throw error;
      // When the re-read fails too, Segment's own answer is the one to report.
      const present = await this.alreadyPresent(pending.map((invite) => invite.email)).catch((): string[] => []);
      if (present.length > 0) throw new InviteesAlreadyPresentError(present, found, error.status);
      throw error;
    }
    const answered = new Set(invited.map(normalizeEmail));
    const skipped = batch.filter((invite) => !answered.has(normalizeEmail(invite.email))).map((invite) => invite.email);
    if (skipped.length > 0) throw new InviteesAlreadyPresentError(skipped, invited, 201);
    return invited;
  }

  /** Which of these emails are members or invited now, as Segment holds them. */
  private async alreadyPresent(emails: readonly string[]): Promise<string[]> {
    const [users, invites] = await Promise.all([this.listUsers(), this.listInvites()]);
    const live = byNormalizedEmail([...users.map((user) => user.email), ...invites]);
    return emails.flatMap((email) => live.get(normalizeEmail(email)) ?? []);
  }

  /** Cancels pending invites. Address them as Segment lists them: it may match emails exactly. */
  async deleteInvites(emails: readonly string[]): Promise<void> {
    await this.deleteInBatches('/invites', undefined, 'emails', emails, async (pending) => stillListed(pending, await this.listInvites()));
  }

  // --- roles ---

  async listRoles(): Promise<RoleV1[]> {
    return this.listAll('/roles', undefined, RolesPageSchema, (page) => page.roles);
  }

  // --- catalog ---

  /** Every source of the workspace, with its labels. */
  async listSources(): Promise<SourceV1[]> {
    return this.listAll('/sources', undefined, SourcesPageSchema, (page) => page.sources);
  }

  /** Every warehouse of the workspace; the name is null when Segment has none for it. */
  async listWarehouses(): Promise<WarehouseV1[]> {
    return this.listAll('/warehouses', undefined, WarehousesPageSchema, (page) => page.warehouses);
  }

  // --- labels ---

  /** The workspace's labels (`GET /labels` is not paginated). */
  async listLabels(): Promise<LabelV1[]> {
    return (await this.call('GET', '/labels', LabelsDataSchema)).labels;
  }

  // --- audit trail ---

  /**
   * Audit trail events, newest first, every page (a Business-plan feature: 403 on other plans).
   * endTime goes with the first page only: the SDK says endTime defaults to "the end time from the
   * pagination cursor", so a time-based cursor would lose to an endTime sent with it and the same page
   * would come back. Later pages may then hold events an offset cursor shifted: they are dropped by id,
   * as are events after endTime.
   */
  async listAuditEvents(query: AuditEventQuery = {}): Promise<AuditEventV1[]> {
    const endTime = query.endTime ?? new Date(this.now()).toISOString();
    const filters = { startTime: query.startTime, resourceId: query.resourceId, resourceType: query.resourceType };
    const events = await this.listAll('/audit-events', undefined, AuditEventsPageSchema, (page) => page.events, filters, { endTime });
    const seen = new Set<string>();
    const end = Date.parse(endTime);
    return events.filter((event) => !seen.has(event.id) && seen.add(event.id) && !(Date.parse(event.timestamp) > end));
  }

  // --- probes (read-only; `segment-access doctor`) ---

  /** Whether list endpoints take pages of `count` (one page of GET /roles): Segment's pages say 1 to 1000, or 1 to 200. */
  async acceptsPageSize(count: number): Promise<boolean> {
    try {
      await this.call('GET', '/roles', RolesPageSchema, { query: { pagination: { count } } });
      return true;
    } catch (error) {
      if (error instanceof SegmentApiError && error.status === 422) return false;
      throw error;
    }
  }

  /** The `next` cursor of a one-event page of the audit trail, or undefined when there is no second page. Opaque to every other caller. */
  async auditTrailCursorSample(): Promise<string | undefined> {
    const page = await this.call('GET', '/audit-events', AuditEventsPageSchema, { query: { pagination: { count: 1 } } });
    return page.pagination.next ?? undefined;
  }

  // --- user groups ---

  async listGroups(): Promise<UserGroupV1[]> {
    return this.listAll('/groups', undefined, UserGroupsPageSchema, (page) => page.userGroups);
  }

  /** Creates a user group. After a lost response the groups are read again: Segment may allow two groups with one name. */
  async createGroup(name: string): Promise<UserGroupV1> {
    return this.atMostOnce({
      method: 'POST',
      path: '/groups',
      send: async (priorAttempts) => (await this.sendOnce('POST', '/groups', UserGroupDataSchema, { body: { name } }, priorAttempts)).userGroup,
      reread: async () => (await this.listGroups()).find((group) => group.name === name),
    });
  }

  async getGroup(id: string): Promise<UserGroupV1> {
    return (await this.call('GET', '/groups/{id}', UserGroupDataSchema, { id })).userGroup;
  }

  async renameGroup(id: string, name: string): Promise<UserGroupV1> {
    return (await this.call('PATCH', '/groups/{id}', UserGroupDataSchema, { id, body: { name } })).userGroup;
  }

  async deleteGroup(id: string): Promise<void> {
    await this.atMostOnce({
      method: 'DELETE',
      path: '/groups/{id}',
      rereadOnNotFound: true,
      send: (priorAttempts) => this.deleteOnce('/groups/{id}', { id }, priorAttempts),
      reread: async () => ((await this.listGroups()).some((group) => group.id === id) ? undefined : DONE),
    });
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

  /** Removes members by email. Address them as Segment lists them: it may match emails exactly. */
  async removeGroupMembers(id: string, emails: readonly string[]): Promise<void> {
    // Singular `group`, as Segment spells it.
    await this.deleteInBatches('/group/{id}/users', id, 'emails', emails, async (pending) => {
      const [users, invites] = await Promise.all([this.listGroupUsers(id), this.listGroupInvites(id)]);
      return stillListed(pending, [...users.map((user) => user.email), ...invites]);
    });
  }

  // --- plumbing ---

  private atMostOnce<T>(write: AtMostOnceWrite<T>): Promise<T> {
    return writeAtMostOnce(write, this.repeatPolicy);
  }

  private get repeatPolicy(): RepeatPolicy {
    return {
      maxAttempts: this.transport.maxAttempts,
      pause: (method, path, attempt, message) => this.transport.pauseBeforeRepeat(method, path, attempt, message),
    };
  }

  /**
   * A batch delete in calls of at most 200 (`name.0=..`). After a lost response or a 404, `stillThere`
   * reads what is left of the call's items, and only those are sent again.
   */
  private async deleteInBatches(route: string, id: string | undefined, name: string, items: readonly string[], stillThere: (pending: string[]) => Promise<string[]>): Promise<void> {
    for (const part of chunkForQuery(name, items, this.querySyntax)) {
      let pending = part;
      await this.atMostOnce({
        method: 'DELETE',
        path: route,
        rereadOnNotFound: true,
        send: (priorAttempts) => this.deleteOnce(route, { id, query: { [name]: pending } }, priorAttempts),
        reread: async () => {
          pending = await stillThere(pending);
          return pending.length === 0 ? DONE : undefined;
        },
      });
    }
  }

  private async deleteOnce(route: string, extra: { id?: string; query?: QueryParams }, priorAttempts: number): Promise<typeof DONE> {
    await this.sendOnce('DELETE', route, StatusSchema, extra, priorAttempts);
    return DONE;
  }

  /** A create or delete: sent once; after an unknown outcome the caller re-reads before repeating it. */
  private sendOnce<T>(method: HttpMethod, route: string, schema: z.ZodType<T>, extra: { id?: string; query?: QueryParams; body?: unknown }, priorAttempts: number): Promise<T> {
    return this.transport.request({ method, route, schema, ...extra, repeatAfterAmbiguousFailure: false, priorAttempts });
  }

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
    firstPageFilters: Readonly<Record<string, string | undefined>> = {},
  ): Promise<I[]> {
    const items: I[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    do {
      const query = { ...filters, ...(cursor === undefined ? firstPageFilters : {}), pagination: { count: this.pageSize, cursor } };
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

/** What a delete's re-read returns when nothing is left to delete. */
const DONE = true as const;

function byNormalizedEmail(emails: readonly string[]): Map<string, string> {
  return new Map(emails.map((email) => [normalizeEmail(email), email]));
}

/** The emails still listed, as the listing spells them. */
function stillListed(emails: readonly string[], listed: readonly string[]): string[] {
  const live = byNormalizedEmail(listed);
  return emails.flatMap((email) => live.get(normalizeEmail(email)) ?? []);
}

/**
 * Segment documents no answer for inviting someone already there: a 409, or a 422 that names no field
 * or an email field, may be that (a 422 naming a role or resource is not).
 */
function mayBeAlreadyPresent(error: SegmentApiError): boolean {
  if (error.status === 409) return true;
  return error.status === 422 && error.errors.every((detail) => detail.field === undefined || /email/i.test(detail.field));
}
