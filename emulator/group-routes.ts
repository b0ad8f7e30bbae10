import { paginate, readPageRequest } from './pagination';
import { renderGroup, renderMinimalUser, renderPermissions } from './render';
import { parseRequestBody } from './request-schemas';
import { Route, RouteContext, RouteResult } from './router';
import { requireBusinessPlan } from './tier';

/** Every group endpoint is refused on a Team plan: user groups are a Business-plan feature. */
function businessOnly(route: Route): Route {
  return {
    ...route,
    handle: (context: RouteContext): RouteResult => {
      requireBusinessPlan(context.state, context.workspaceId, 'User groups (Advanced Access Management)');
      return route.handle(context);
    },
  };
}

/**
 * User groups. Note Segment's asymmetry, kept on purpose: replacing and removing
 * members use the SINGULAR `/group/{id}/users`; PUT/DELETE on `/groups/{id}/users` are 404s.
 */
export const groupRoutes: Route[] = (
  [
    {
      method: 'GET',
      pattern: '/groups',
      handle: ({ state, workspaceId, query }) => {
        const page = paginate(state.listGroups(workspaceId), (group) => group.id, readPageRequest(query, state.settings.maxPageCount));
        return { data: { userGroups: page.items.map(renderGroup), pagination: page.pagination } };
      },
    },
    {
      method: 'POST',
      pattern: '/groups',
      handle: ({ state, workspaceId, body, schemas, actor }) => {
        const { name } = parseRequestBody(schemas.groupName, body);
        return { data: { userGroup: renderGroup(state.createGroup(workspaceId, name, actor)) } };
      },
    },
    {
      method: 'GET',
      pattern: '/groups/{userGroupId}',
      handle: ({ state, workspaceId, params }) => ({
        data: { userGroup: renderGroup(state.getGroup(workspaceId, params.userGroupId)) },
      }),
    },
    {
      method: 'PATCH',
      pattern: '/groups/{userGroupId}',
      handle: ({ state, workspaceId, params, body, schemas, actor }) => {
        const { name } = parseRequestBody(schemas.groupName, body);
        return { data: { userGroup: renderGroup(state.renameGroup(workspaceId, params.userGroupId, name, actor)) } };
      },
    },
    {
      method: 'DELETE',
      pattern: '/groups/{userGroupId}',
      handle: ({ state, workspaceId, params, actor }) => {
        state.deleteGroup(workspaceId, params.userGroupId, actor);
        return { data: { status: 'SUCCESS' } };
      },
    },
    {
      method: 'PUT',
      pattern: '/groups/{userGroupId}/permissions',
      handle: ({ state, workspaceId, params, body, schemas, actor }) => {
        const { permissions } = parseRequestBody(schemas.permissions, body);
        const stored = state.replaceGroupPermissions(workspaceId, params.userGroupId, permissions, actor);
        return { data: { permissions: renderPermissions(stored) } };
      },
    },
    {
      method: 'POST',
      pattern: '/groups/{userGroupId}/permissions',
      handle: ({ state, workspaceId, params, body, schemas, actor }) => {
        const { permissions } = parseRequestBody(schemas.permissions, body);
        const stored = state.addGroupPermissions(workspaceId, params.userGroupId, permissions, actor);
        return { data: { permissions: renderPermissions(stored) } };
      },
    },
    {
      method: 'GET',
      pattern: '/groups/{userGroupId}/users',
      handle: ({ state, workspaceId, params, query }) => {
        const { users } = state.groupMembers(workspaceId, params.userGroupId);
        const page = paginate(users, (user) => user.id, readPageRequest(query, state.settings.maxPageCount));
        return { data: { users: page.items.map(renderMinimalUser), pagination: page.pagination } };
      },
    },
    {
      method: 'POST',
      pattern: '/groups/{userGroupId}/users',
      handle: ({ state, workspaceId, params, body, schemas, actor }) => {
        const { emails } = parseRequestBody(schemas.emails, body);
        return { data: { userGroup: renderGroup(state.addGroupMembers(workspaceId, params.userGroupId, emails, actor)) } };
      },
    },
    {
      method: 'PUT',
      pattern: '/group/{userGroupId}/users',
      handle: ({ state, workspaceId, params, body, schemas, actor }) => {
        const { emails } = parseRequestBody(schemas.emails, body);
        return { data: { userGroup: renderGroup(state.replaceGroupMembers(workspaceId, params.userGroupId, emails, actor)) } };
      },
    },
    {
      method: 'DELETE',
      pattern: '/group/{userGroupId}/users',
      handle: ({ state, workspaceId, params, query, actor }) => {
        state.removeGroupMembers(workspaceId, params.userGroupId, query.getArray('emails'), actor);
        return { data: { status: 'SUCCESS' } };
      },
    },
    {
      method: 'GET',
      pattern: '/groups/{userGroupId}/invites',
      handle: ({ state, workspaceId, params, query }) => {
        const { invites } = state.groupMembers(workspaceId, params.userGroupId);
        const page = paginate(invites, (invite) => invite.email, readPageRequest(query, state.settings.maxPageCount));
        return { data: { emails: page.items.map((invite) => invite.email), pagination: page.pagination } };
      },
    },
  ] satisfies Route[]
).map(businessOnly);
