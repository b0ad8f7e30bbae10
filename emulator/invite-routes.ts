import { paginate, readPageRequest } from './pagination';
import { parseRequestBody } from './request-schemas';
import { Route } from './router';

export const inviteRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/invites',
    handle: ({ state, workspaceId, query }) => {
      const page = paginate(state.listInvites(workspaceId), (invite) => invite.email, readPageRequest(query, state.settings.maxPageCount));
      return { data: { invites: page.items.map((invite) => invite.email), pagination: page.pagination } };
    },
  },
  {
    method: 'POST',
    pattern: '/invites',
    handle: ({ state, workspaceId, body, schemas, actor }) => {
      const { invites } = parseRequestBody(schemas.createInvites, body);
      return { status: 201, data: { emails: state.createInvites(workspaceId, invites, actor) } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/invites',
    handle: ({ state, workspaceId, query, actor }) => {
      state.deleteInvites(workspaceId, query.getArray('emails'), actor);
      return { data: { status: 'SUCCESS' } };
    },
  },
];
