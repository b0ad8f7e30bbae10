import { paginate, readPageRequest } from './pagination';
import { renderMinimalGroup, renderPermissions, renderUser } from './render';
import { parseRequestBody } from './request-schemas';
import { Route } from './router';
import { requireBusinessPlan } from './tier';

export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/users',
    handle: ({ state, workspaceId, query }) => {
      const page = paginate(state.listUsers(workspaceId), (user) => user.id, readPageRequest(query, state.settings.maxPageCount));
      return { data: { users: page.items.map(renderUser), pagination: page.pagination } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/users',
    handle: ({ state, workspaceId, query, actor }) => {
      state.deleteUsers(workspaceId, query.getArray('userIds'), actor);
      return { data: { status: 'SUCCESS' } };
    },
  },
  {
    method: 'GET',
    pattern: '/users/{userId}',
    handle: ({ state, workspaceId, params }) => ({ data: { user: renderUser(state.getUser(workspaceId, params.userId)) } }),
  },
  {
    method: 'PUT',
    pattern: '/users/{userId}/permissions',
    handle: ({ state, workspaceId, params, body, schemas, actor }) => {
      const { permissions } = parseRequestBody(schemas.permissions, body);
      return { data: { permissions: renderPermissions(state.replaceUserPermissions(workspaceId, params.userId, permissions, actor)) } };
    },
  },
  {
    method: 'POST',
    pattern: '/users/{userId}/permissions',
    handle: ({ state, workspaceId, params, body, schemas, actor }) => {
      const { permissions } = parseRequestBody(schemas.permissions, body);
      return { data: { permissions: renderPermissions(state.addUserPermissions(workspaceId, params.userId, permissions, actor)) } };
    },
  },
  {
    method: 'GET',
    pattern: '/users/{userId}/groups',
    handle: ({ state, workspaceId, params, query }) => {
      requireBusinessPlan(state, workspaceId, 'User groups (Advanced Access Management)');
      const page = paginate(state.groupsOfUser(workspaceId, params.userId), (group) => group.id, readPageRequest(query, state.settings.maxPageCount));
      return { data: { groups: page.items.map(renderMinimalGroup), pagination: page.pagination } };
    },
  },
];
