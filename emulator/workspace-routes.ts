import { pageAuditEvents } from './audit-pagination';
import { validationError } from './errors';
import { paginate, readPageRequest } from './pagination';
import { QueryParams } from './query';
import { renderAuditEvent, renderLabel, renderRole } from './render';
import { parseRequestBody } from './request-schemas';
import { rolesForTier } from './roles';
import { Route } from './router';
import { requireBusinessPlan } from './tier';

export const workspaceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/',
    handle: ({ state, workspaceId }) => ({ data: { workspace: state.workspace(workspaceId) } }),
  },
  {
    method: 'GET',
    pattern: '/roles',
    handle: ({ state, workspaceId, query }) => {
      const roles = [...rolesForTier(state.planTier(workspaceId))];
      const page = paginate(roles, (role) => role.name, readPageRequest(query, state.settings.maxPageCount));
      return { data: { roles: page.items.map(renderRole), pagination: page.pagination } };
    },
  },
  // SDK api/labelsApi.ts: list (no pagination), create (201), delete by key and value.
  {
    method: 'GET',
    pattern: '/labels',
    handle: ({ state, workspaceId }) => ({ data: { labels: state.listLabels(workspaceId).map(renderLabel) } }),
  },
  {
    method: 'POST',
    pattern: '/labels',
    handle: ({ state, workspaceId, body, schemas, actor }) => {
      const { label } = parseRequestBody(schemas.createLabel, body);
      return { status: 201, data: { label: renderLabel(state.createLabel(workspaceId, label, actor)) } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/labels/{key}/{value}',
    handle: ({ state, workspaceId, params, actor }) => {
      state.deleteLabel(workspaceId, { key: params.key, value: params.value }, actor);
      return { data: { status: 'SUCCESS' } };
    },
  },
  // SDK api/auditTrailApi.ts listAuditEvents(startTime, endTime, resourceId, resourceType, pagination).
  {
    method: 'GET',
    pattern: '/audit-events',
    handle: ({ state, workspaceId, query }) => {
      requireBusinessPlan(state, workspaceId, 'The audit trail');
      const startTime = timeParam(query, 'startTime');
      const resourceId = query.getString('resourceId');
      const resourceType = query.getString('resourceType');
      const page = pageAuditEvents({
        query,
        mode: state.settings.auditCursor,
        maxCount: state.settings.maxPageCount,
        nowMs: state.clock.nowMs(),
        explicitEndTime: timeParam(query, 'endTime'),
        list: (endTime) => state.listAuditEvents(workspaceId, { startTime, endTime, resourceId, resourceType }),
      });
      return { data: { events: page.items.map(renderAuditEvent), pagination: page.pagination } };
    },
  },
];

function timeParam(query: QueryParams, name: string): string | undefined {
  const raw = query.getString(name);
  if (raw === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw validationError(`${name} must be an ISO 8601 date-time such as 2026-11-27T12:00:00Z; got "${raw}".`, name);
  }
  return raw;
}
