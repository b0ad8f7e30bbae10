import { paginate, readPageRequest } from './pagination';
import { renderRole } from './render';
import { ROLE_CATALOG } from './roles';
import { Route } from './router';

export const workspaceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/',
    handle: ({ state, workspaceId }) => ({ data: { workspace: state.workspace(workspaceId) } }),
  },
  {
    method: 'GET',
    pattern: '/roles',
    handle: ({ query }) => {
      const page = paginate([...ROLE_CATALOG], (role) => role.id, readPageRequest(query));
      return { data: { roles: page.items.map(renderRole), pagination: page.pagination } };
    },
  },
];
